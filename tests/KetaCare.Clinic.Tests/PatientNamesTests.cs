using KetaCare.Clinic.Patients;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Tests;

/// <summary>Search and duplicate detection compare folded names: case, accents and the Turkish i do not hide a patient.</summary>
public sealed class PatientNamesTests
{
    [Theory]
    [InlineData("İsmail", "ismail")]
    [InlineData("ISMAIL", "ismail")]
    [InlineData("Ismaıl", "ismail")]
    [InlineData("Şahin", "sahin")]
    [InlineData("Gülşen  Öztürk", "gulsen ozturk")]
    [InlineData("Zoë", "zoe")]
    [InlineData("DEMO-0001", "demo-0001")]
    public void Fold_CaseAccentsAndTurkishI_Disappear(string text, string folded) =>
        Assert.Equal(folded, PatientNames.Fold(text));

    [Fact]
    public void Fold_SameUnderTurkishCulture_NoDotlessIFromCurrentCulture()
    {
        var before = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("tr-TR");
            Assert.Equal("ismail", PatientNames.Fold("ISMAIL"));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void Resemble_SameFoldedFamilyNameAndBirthDate_IsAPossibleDuplicate()
    {
        var a = new Demographics("A-1", "İsmail", "Şahin", new DateOnly(1970, 5, 1), Sex.Male);
        var b = new Demographics("B-2", "Ismail", "SAHIN", new DateOnly(1970, 5, 1), Sex.Male);
        var c = new Demographics("C-3", "Ayşe", "Şahin", new DateOnly(1985, 1, 1), Sex.Female);
        Assert.True(PatientNames.Resemble(a, b));
        Assert.False(PatientNames.Resemble(a, c));
    }
}
