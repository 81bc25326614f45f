using System.Globalization;
using System.Runtime.CompilerServices;

namespace KetaCare.Tests;

/// <summary>
/// Runs the whole test assembly under the culture named by KETACARE_TEST_CULTURE (test.sh runs the
/// suite under the invariant culture, tr-TR and de-DE) so that a comma-decimal culture can never turn
/// "0.5" into 5 unnoticed.
/// </summary>
internal static class TestCulture
{
    [ModuleInitializer]
    internal static void Apply()
    {
        var name = Environment.GetEnvironmentVariable("KETACARE_TEST_CULTURE");
        if (string.IsNullOrWhiteSpace(name))
        {
            return;
        }

        var culture = CultureInfo.GetCultureInfo(name);
        CultureInfo.DefaultThreadCurrentCulture = culture;
        CultureInfo.DefaultThreadCurrentUICulture = culture;
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
    }
}
