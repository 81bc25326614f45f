using System.Diagnostics.CodeAnalysis;

namespace KetaCare.Tests;

/// <summary>
/// What a test needs from the machine and cannot bring itself: a browser, a database server, a program. When it is
/// missing the test is skipped with the reason, so a contributor without it can still run the rest; with
/// KETACARE_REQUIRE_ALL=1 (set by CI) it fails instead, so CI never passes on tests that did not run.
/// </summary>
internal static class Prerequisite
{
    /// <summary>Skips the running test, or fails it under KETACARE_REQUIRE_ALL=1.</summary>
    /// <param name="reason">What is missing and how to get it ("Chromium not found at … (apt-get install chromium)").</param>
    /// <param name="tests">The tests that need it, as a plural noun ("browser tests").</param>
    [DoesNotReturn]
    public static void Missing(string reason, string tests)
    {
        if (Environment.GetEnvironmentVariable("KETACARE_REQUIRE_ALL") == "1")
        {
            Assert.Fail($"{reason} (KETACARE_REQUIRE_ALL=1: {tests} must run).");
        }

        Assert.Skip($"{reason}; {tests} skipped.");
    }
}
