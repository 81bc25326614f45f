using System.Globalization;

namespace KetaCare.Cli;

/// <summary>
/// The languages the CLI writes reports and tables in (<c>--lang en|tr</c>). The tool runs without ICU
/// (<c>InvariantGlobalization</c>, docs/performance.md), where <c>CultureInfo.GetCultureInfo("tr-TR")</c> throws and
/// any culture made by name carries the invariant culture's data — English texts, a decimal point. Turkish is therefore
/// built here from what the reports need: the name the translations are found by, the language the units and the
/// percent sign follow (<c>Strings.IsTurkish</c>), and Turkish digit separators (1.234,5). Dates in reports are written
/// with explicit patterns, so no calendar data is needed.
/// </summary>
internal static class ReportCultures
{
    private static readonly CultureInfo Turkish = new BuiltCulture("tr-TR", "tr", new BuiltCulture("tr", "tr", CultureInfo.InvariantCulture));

    /// <summary>en → the invariant culture (English texts), tr → Turkish; null for anything else.</summary>
    public static CultureInfo? Of(string? language) => language?.Trim().ToUpperInvariant() switch
    {
        "EN" => CultureInfo.InvariantCulture,
        "TR" => Turkish,
        _ => null,
    };

    private sealed class BuiltCulture : CultureInfo
    {
        private readonly string _name;
        private readonly string _language;
        private readonly CultureInfo _parent;

        public BuiltCulture(string name, string language, CultureInfo parent)
            : base(string.Empty)
        {
            _name = name;
            _language = language;
            _parent = parent;
            var numbers = (NumberFormatInfo)InvariantCulture.NumberFormat.Clone();
            numbers.NumberDecimalSeparator = numbers.PercentDecimalSeparator = numbers.CurrencyDecimalSeparator = ",";
            numbers.NumberGroupSeparator = numbers.PercentGroupSeparator = numbers.CurrencyGroupSeparator = ".";
            NumberFormat = NumberFormatInfo.ReadOnly(numbers);
        }

        public override string Name => _name;

        public override string TwoLetterISOLanguageName => _language;

        public override CultureInfo Parent => _parent;
    }
}
