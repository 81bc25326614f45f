using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;

namespace KetaCare.Clinic.Tests;

/// <summary>The patient's contact details on the chart: their checks, the number's E.164 form, and consents stamped only when the answer changes.</summary>
public sealed class PatientContactTests
{
    [Theory]
    [InlineData("ayse@", null, "en", false, false, FindingCodes.ChartContactEmailInvalid, "email")]
    [InlineData("ayse yilmaz@example.org", null, "en", false, false, FindingCodes.ChartContactEmailInvalid, "email")]
    [InlineData(null, "05321234567", "en", false, false, FindingCodes.ChartContactPhoneInvalid, "mobilePhone")]
    [InlineData(null, "+0532123456", "en", false, false, FindingCodes.ChartContactPhoneInvalid, "mobilePhone")]
    [InlineData(null, "+9053212345678901", "en", false, false, FindingCodes.ChartContactPhoneInvalid, "mobilePhone")]
    [InlineData(null, "+90 532 12a 45 67", "en", false, false, FindingCodes.ChartContactPhoneInvalid, "mobilePhone")]
    [InlineData(null, "+90 532 123 45 67 0000000000000000", "en", false, false, FindingCodes.ChartTextTooLong, "mobilePhone")]
    [InlineData(null, null, "de", false, false, FindingCodes.ChartContactLanguageUnknown, "language")]
    [InlineData(null, "+905321234567", "tr", true, true, FindingCodes.ChartContactConsentWithoutAddress, "emailConsent")]
    [InlineData("ayse@example.org", null, "tr", true, true, FindingCodes.ChartContactConsentWithoutAddress, "textConsent")]
    public void ChangeContact_BadInput_RefusedNamingTheFieldAndChartUnchanged(string? email, string? phone, string language, bool emailConsent, bool textConsent, string code, string field)
    {
        var clock = Build.Clock();
        var (patient, _) = Build.EligiblePatient(clock);
        var version = patient.Version;

        var r = patient.ChangeContact(new ContactInput(email, phone, language, emailConsent, textConsent), null, Build.Nurse, clock);

        var finding = Assert.Single(r.Findings);
        Assert.Equal((code, field), (finding.Code, finding.Args.First(a => a.Name == "field").Text));
        Assert.Equal(version, patient.Version);
        Assert.Null(patient.Contact);
    }

    [Theory]
    [InlineData("+12345678", true)] // "+" and 8 digits: the shortest
    [InlineData("+1234567", false)]
    [InlineData("+123456789012345", true)] // "+" and 15 digits: the longest E.164 allows
    [InlineData("+1234567890123456", false)]
    [InlineData("+10000000", true)] // the first digit may be 1
    [InlineData("+01234567", false)] // but not 0
    [InlineData("12345678", false)]
    [InlineData("+1234567a", false)]
    public void IsE164_AtItsEdges(string number, bool valid) => Assert.Equal(valid, PatientContacts.IsE164(number));

    [Fact]
    public void Apply_OverlongNumber_RefusedNamingTheNumber()
    {
        var r = PatientContacts.Apply(new ContactInput(null, "+90 " + new string('1', PatientContacts.MaxPhoneInputLength), "en", null, null), null, Build.Nurse, Build.Clock());

        var finding = Assert.Single(r.Findings);
        Assert.Equal((FindingCodes.ChartTextTooLong, "mobilePhone"), (finding.Code, finding.Args.First(a => a.Name == "field").Text));
    }

    [Fact]
    public void Apply_FirstAnswers_DeclinedWithoutAnAddressStaysUnasked_DeclinedWithOneIsRecorded()
    {
        var clock = Build.Clock();

        var noNumber = PatientContacts.Apply(new ContactInput("ayse@example.org", null, "tr", false, false), null, Build.Nurse, clock).Value;
        var both = PatientContacts.Apply(new ContactInput("ayse@example.org", "+905321234567", "tr", false, false), null, Build.Nurse, clock).Value;

        Assert.Equal(new ReminderConsent(false, Build.Start, Build.Nurse), noNumber.EmailConsent);
        Assert.Null(noNumber.TextConsent);
        Assert.Equal(new ReminderConsent(false, Build.Start, Build.Nurse), both.TextConsent);
    }

    [Fact]
    public void Apply_ConsentWithdrawnAfterTheNumberIsRemoved_RecordedNowByWhoWithdrewIt()
    {
        var clock = Build.Clock();
        var first = PatientContacts.Apply(new ContactInput(null, "+905321234567", "tr", null, true), null, Build.Nurse, clock).Value;
        clock.Advance(TimeSpan.FromDays(1));

        var withdrawn = PatientContacts.Apply(new ContactInput(null, null, "tr", null, false), first, Build.Physician, clock).Value;

        Assert.Equal(new ReminderConsent(false, Build.Start.AddDays(1), Build.Physician), withdrawn.TextConsent);
    }

    [Fact]
    public void ContactHelpers_NullArguments_Thrown()
    {
        Assert.Throws<ArgumentNullException>(() => PatientContacts.Apply(null!, null, Build.Nurse, Build.Clock()));
        Assert.Throws<ArgumentNullException>(() => PatientContacts.Apply(new ContactInput(null, null, "en", null, null), null, Build.Nurse, null!));
        Assert.Throws<ArgumentNullException>(() => PatientContacts.Check(null!));
        Assert.Throws<ArgumentNullException>(() => PatientContacts.IsE164(null!));
        Assert.Throws<ArgumentNullException>(() => PatientContacts.Normalise(null!));
    }

    [Fact]
    public void ChangeContact_LongEmail_RefusedAsTooLong()
    {
        var clock = Build.Clock();
        var (patient, _) = Build.EligiblePatient(clock);

        var r = patient.ChangeContact(new ContactInput(new string('a', 250) + "@example.org", null, "en", false, false), null, Build.Nurse, clock);

        Codes.Has(FindingCodes.ChartTextTooLong, r);
    }

    [Fact]
    public void ChangeContact_Valid_StoresE164AndStampsEachConsentOnlyWhenItsAnswerChanges()
    {
        var clock = Build.Clock();
        var (patient, _) = Build.EligiblePatient(clock);

        var first = patient.ChangeContact(new ContactInput(" ayse@example.org ", "+90 532-123 45 67", "tr", true, false), null, Build.Nurse, clock);
        clock.Advance(TimeSpan.FromDays(3));
        var second = patient.ChangeContact(new ContactInput("ayse.y@example.org", "+905321234567", "tr", true, true), "new address", Build.Physician, clock);

        Assert.True(first.IsSuccess, first.Error);
        Assert.Equal(("ayse@example.org", "+905321234567", "tr"), (first.Value.Email, first.Value.MobilePhone, first.Value.Language));
        Assert.Equal(new ReminderConsent(true, Build.Start, Build.Nurse), first.Value.EmailConsent);
        Assert.Equal(new ReminderConsent(false, Build.Start, Build.Nurse), first.Value.TextConsent); // asked with a number, declined
        Assert.True(second.IsSuccess, second.Error);
        Assert.Equal(new ReminderConsent(true, Build.Start, Build.Nurse), patient.Contact!.EmailConsent); // same answer: still the first record
        Assert.Equal(new ReminderConsent(true, Build.Start.AddDays(3), Build.Physician), patient.Contact.TextConsent);
        Assert.True(patient.Contact.CanEmail && patient.Contact.CanText);
        var history = patient.ContactHistory.All;
        Assert.Equal(2, history.Count);
        Assert.Equal((EntryStatus.Amended, "ayse@example.org"), (history[0].Status, history[0].Value.Email));
        Assert.Equal((EntryStatus.Active, "new address", 2), (history[1].Status, history[1].Reason, history[1].Revision));
    }

    [Fact]
    public void Contact_WithoutConsent_CannotBeUsedForReminders()
    {
        var clock = Build.Clock();
        var (patient, _) = Build.EligiblePatient(clock);

        Assert.True(patient.ChangeContact(new ContactInput("ayse@example.org", "+905321234567", "en", false, false), null, Build.Nurse, clock).IsSuccess);

        Assert.False(patient.Contact!.CanEmail);
        Assert.False(patient.Contact.CanText);
        Assert.Equal(new ReminderConsent(false, Build.Start, Build.Nurse), patient.Contact.EmailConsent); // asked and declined is recorded, not left unasked
    }
}
