using System.Globalization;

namespace KetaCare.Interop.Text;

/// <summary>
/// The languages documents are written in when the reader chooses one (<c>--lang en|tr</c>, <c>?lang=tr</c>). The
/// <c>ketacare</c> tool runs without ICU (<c>InvariantGlobalization</c>, docs/performance.md), where
/// <c>CultureInfo.GetCultureInfo("tr-TR")</c> throws and a culture made by name carries the invariant culture's data —
/// English texts and a decimal point. In such a process Turkish is <see cref="BuiltTurkish"/>, made from what the
/// documents need: the name the translations are found by, the language the units and the per cent sign follow
/// (<see cref="Strings.IsTurkish"/>), and Turkish digit separators (1.234,5). Documents write dates with explicit
/// patterns, so no calendar data is needed. Thread-safe.
/// </summary>
public static class ReportCultures
{
    /// <summary>Turkish as documents are written in it without ICU; equal in its output to ICU's tr-TR (a test compares them).</summary>
    public static CultureInfo BuiltTurkish { get; } = new BuiltCulture("tr-TR", "tr", new BuiltCulture("tr", "tr", CultureInfo.InvariantCulture));

    /// <summary>ICU's tr-TR where the process has ICU, else <see cref="BuiltTurkish"/>.</summary>
    public static CultureInfo Turkish { get; } =
        AppContext.TryGetSwitch("System.Globalization.Invariant", out var invariant) && invariant ? BuiltTurkish : CultureInfo.GetCultureInfo("tr-TR");

    /// <summary>"en" → the invariant culture (English texts, a decimal point), "tr" → <see cref="Turkish"/>, any case; null for anything else.</summary>
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

        // tr-TR → tr → invariant: the resource lookup walks this chain to the Turkish satellite ("tr").
        public override CultureInfo Parent => _parent;
    }
}
