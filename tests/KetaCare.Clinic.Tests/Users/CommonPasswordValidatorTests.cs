using KetaCare.Clinic.Users;

namespace KetaCare.Clinic.Tests.Users;

/// <summary>The NIST SP 800-63B checks beyond length: common, repetitive and sequential passwords and the user name.</summary>
public sealed class CommonPasswordValidatorTests
{
    [Theory]
    [InlineData("aaaaaaaaaa")]
    [InlineData("abababababab")]
    [InlineData("1234567890")]
    [InlineData("9876543210")]
    [InlineData("abcdefghij")]
    [InlineData("password12")]
    [InlineData("Password2024!")]
    [InlineData("PASSWORD")]
    [InlineData("qwertyuiop")]
    [InlineData("1q2w3e4r5t")]
    [InlineData("galatasaray1905")]
    [InlineData("ŞİFRE12345")]
    [InlineData("!!welcome!!")]
    public void Weakness_CommonOrTrivialPassword_IsRefused(string password) =>
        Assert.NotNull(CommonPasswordValidator.Weakness(password, "nurse1"));

    [Theory]
    [InlineData("a fresh passphrase")]
    [InlineData("ketacare-demo")]
    [InlineData("tuzlu kahve ve limon")]
    [InlineData("0123456789abc")]
    public void Weakness_OwnPhrase_IsAccepted(string password) =>
        Assert.Null(CommonPasswordValidator.Weakness(password, "nurse1"));

    [Fact]
    public void Weakness_ContainsTheUserName_IsRefused() =>
        Assert.Equal("Passwords must not contain the user name.", CommonPasswordValidator.Weakness("my Elif.Kaya secret", "elif.kaya"));

    [Fact]
    public void Weakness_LongerThanTheMaximum_IsRefusedBeforeAnyHashIsComputed() =>
        Assert.Contains("at most 256", CommonPasswordValidator.Weakness(new string('x', 300) + "yz1", "u"), StringComparison.Ordinal);

    [Fact]
    public void List_IsEmbeddedAndNotEmpty() => Assert.True(CommonPasswordValidator.ListSize > 200);
}
