using System.Globalization;
using KetaCare.Pharmacology.Validation;

namespace KetaCare.Pharmacology.Tests.Validation;

public class VerificationSuiteTests
{
    public static TheoryData<string> CaseIds() => [.. VerificationSuite.Run().Select(c => c.Id)];

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Run_EachCase_IsWithinItsTolerance(string id)
    {
        var c = VerificationSuite.Run().Single(x => x.Id == id);
        Assert.True(c.Passed, string.Create(CultureInfo.InvariantCulture, $"{c.Id}: error {c.Error:E3} > tolerance {c.Tolerance:E3} (measured {c.Measured}, expected {c.Expected})"));
    }

    [Fact]
    public void Run_Always_HasUniqueIdsAndFiniteErrors()
    {
        var cases = VerificationSuite.Run();
        Assert.Equal(cases.Count, cases.Select(c => c.Id).Distinct().Count());
        Assert.All(cases, c => Assert.True(double.IsFinite(c.Error) && c.Tolerance > 0, c.Id));
        Assert.True(cases.Count >= 12);
    }
}
