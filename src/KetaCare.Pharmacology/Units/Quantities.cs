namespace KetaCare.Pharmacology.Units;

// Canonical units inside the engine: amount mg, volume L, time min, concentration mg/L (docs/architecture.md).
// Each quantity keeps one private canonical field; factories and accessors name their unit.

/// <summary>An amount of drug. Canonical unit mg; never negative.</summary>
public readonly struct Mass : IEquatable<Mass>, IComparable<Mass>
{
    private readonly double _mg;

    private Mass(double mg) => _mg = Guard.NonNegative(mg, "mass");

    /// <summary>Zero amount.</summary>
    public static Mass Zero => default;

    /// <summary>Creates a mass from milligrams (≥ 0, finite).</summary>
    public static Mass FromMilligrams(double mg) => new(mg);

    /// <summary>Creates a mass from micrograms (≥ 0, finite).</summary>
    public static Mass FromMicrograms(double mcg) => new(mcg / 1000.0);

    /// <summary>Creates a mass from grams (≥ 0, finite).</summary>
    public static Mass FromGrams(double g) => new(g * 1000.0);

    /// <summary>Creates a mass from nanograms (≥ 0, finite).</summary>
    public static Mass FromNanograms(double ng) => new(ng / 1e6);

    /// <summary>The amount in mg.</summary>
    public double Milligrams => _mg;

    /// <summary>The amount in mcg.</summary>
    public double Micrograms => _mg * 1000.0;

    /// <summary>Sum of two amounts.</summary>
    public static Mass operator +(Mass a, Mass b) => new(a._mg + b._mg);

    /// <summary>Scales an amount by a non-negative factor.</summary>
    public static Mass operator *(Mass a, double factor) => new(a._mg * factor);

    /// <summary>Amount per volume.</summary>
    public static Concentration operator /(Mass a, Volume v) => Concentration.FromMilligramsPerLiter(a._mg / v.Liters);

    /// <summary>Amount spread over a duration gives a rate.</summary>
    public static DoseRate operator /(Mass a, Duration d) => DoseRate.FromMilligramsPerMinute(a._mg / d.Minutes);

    /// <summary>Amount per body weight.</summary>
    public static DosePerKg operator /(Mass a, BodyWeight w) => DosePerKg.FromMilligramsPerKilogram(a._mg / w.Kilograms);

    /// <inheritdoc/>
    public bool Equals(Mass other) => _mg.Equals(other._mg);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Mass other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _mg.GetHashCode();

    /// <inheritdoc/>
    public int CompareTo(Mass other) => _mg.CompareTo(other._mg);

    /// <summary>Equality.</summary>
    public static bool operator ==(Mass a, Mass b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Mass a, Mass b) => !a.Equals(b);

    /// <summary>Less than.</summary>
    public static bool operator <(Mass a, Mass b) => a._mg < b._mg;

    /// <summary>Greater than.</summary>
    public static bool operator >(Mass a, Mass b) => a._mg > b._mg;

    /// <summary>Less or equal.</summary>
    public static bool operator <=(Mass a, Mass b) => a._mg <= b._mg;

    /// <summary>Greater or equal.</summary>
    public static bool operator >=(Mass a, Mass b) => a._mg >= b._mg;

    /// <summary>ISMP-safe text, e.g. "35 mg", "0.5 mg"; below 0.1 mg in mcg ("50 mcg") to avoid a second leading zero.</summary>
    public override string ToString() => _mg is > 0 and < 0.1
        ? SafeNumber.Format(Micrograms) + " mcg"
        : SafeNumber.Format(_mg) + " mg";
}

/// <summary>A volume. Canonical unit L; strictly positive.</summary>
public readonly struct Volume : IEquatable<Volume>
{
    private readonly double _l;

    private Volume(double l) => _l = Guard.Positive(l, "volume");

    /// <summary>Creates a volume from litres (&gt; 0).</summary>
    public static Volume FromLiters(double l) => new(l);

    /// <summary>Creates a volume from millilitres (&gt; 0).</summary>
    public static Volume FromMilliliters(double ml) => new(ml / 1000.0);

    /// <summary>The volume in L.</summary>
    public double Liters => _l;

    /// <summary>The volume in mL.</summary>
    public double Milliliters => _l * 1000.0;

    /// <inheritdoc/>
    public bool Equals(Volume other) => _l.Equals(other._l);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Volume other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _l.GetHashCode();

    /// <summary>Equality.</summary>
    public static bool operator ==(Volume a, Volume b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Volume a, Volume b) => !a.Equals(b);

    /// <summary>ISMP-safe text in mL below 1 L, else L.</summary>
    public override string ToString() => _l < 1 ? SafeNumber.Format(Milliliters) + " mL" : SafeNumber.Format(_l) + " L";
}

/// <summary>A mass concentration. Canonical unit mg/L (= mcg/mL); never negative.</summary>
public readonly struct Concentration : IEquatable<Concentration>, IComparable<Concentration>
{
    private readonly double _mgPerL;

    private Concentration(double mgPerL) => _mgPerL = Guard.NonNegative(mgPerL, "concentration");

    /// <summary>Zero concentration.</summary>
    public static Concentration Zero => default;

    /// <summary>From mg/L (= mcg/mL).</summary>
    public static Concentration FromMilligramsPerLiter(double v) => new(v);

    /// <summary>From ng/mL (= mcg/L); 1 ng/mL = 0.001 mg/L.</summary>
    public static Concentration FromNanogramsPerMilliliter(double v) => new(v / 1000.0);

    /// <summary>From mg/mL, the unit of vials and bags; 1 mg/mL = 1000 mg/L.</summary>
    public static Concentration FromMilligramsPerMilliliter(double v) => new(v * 1000.0);

    /// <summary>From µmol/L using the molar mass of the substance (default ketamine, 237.73 g/mol).</summary>
    public static Concentration FromMicromolar(double micromolar, MolarMass? molarMass = null) =>
        new(micromolar * (molarMass ?? MolarMass.Ketamine).GramsPerMole / 1000.0);

    /// <summary>In mg/L.</summary>
    public double MilligramsPerLiter => _mgPerL;

    /// <summary>In ng/mL.</summary>
    public double NanogramsPerMilliliter => _mgPerL * 1000.0;

    /// <summary>In mg/dL, the unit of clinical chemistry results such as bilirubin; 1 mg/dL = 10 mg/L.</summary>
    public double MilligramsPerDeciliter => _mgPerL / 10.0;

    /// <summary>In mg/mL.</summary>
    public double MilligramsPerMilliliter => _mgPerL / 1000.0;

    /// <summary>In µmol/L for the given molar mass (default ketamine).</summary>
    public double Micromolar(MolarMass? molarMass = null) => _mgPerL * 1000.0 / (molarMass ?? MolarMass.Ketamine).GramsPerMole;

    /// <summary>Concentration times volume is an amount.</summary>
    public static Mass operator *(Concentration c, Volume v) => Mass.FromMilligrams(c._mgPerL * v.Liters);

    /// <summary>Scales by a non-negative factor.</summary>
    public static Concentration operator *(Concentration c, double factor) => new(c._mgPerL * factor);

    /// <inheritdoc/>
    public bool Equals(Concentration other) => _mgPerL.Equals(other._mgPerL);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Concentration other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _mgPerL.GetHashCode();

    /// <inheritdoc/>
    public int CompareTo(Concentration other) => _mgPerL.CompareTo(other._mgPerL);

    /// <summary>Equality.</summary>
    public static bool operator ==(Concentration a, Concentration b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Concentration a, Concentration b) => !a.Equals(b);

    /// <summary>Less than.</summary>
    public static bool operator <(Concentration a, Concentration b) => a._mgPerL < b._mgPerL;

    /// <summary>Greater than.</summary>
    public static bool operator >(Concentration a, Concentration b) => a._mgPerL > b._mgPerL;

    /// <summary>Less or equal.</summary>
    public static bool operator <=(Concentration a, Concentration b) => a._mgPerL <= b._mgPerL;

    /// <summary>Greater or equal.</summary>
    public static bool operator >=(Concentration a, Concentration b) => a._mgPerL >= b._mgPerL;

    /// <summary>Plasma-level text in ng/mL (the unit clinicians read ketamine levels in).</summary>
    public override string ToString() => SafeNumber.Format(NanogramsPerMilliliter) + " ng/mL";
}

/// <summary>A duration or time since the start of a regimen. Canonical unit min; never negative.</summary>
public readonly struct Duration : IEquatable<Duration>, IComparable<Duration>
{
    private readonly double _min;

    private Duration(double min) => _min = Guard.NonNegative(min, "duration");

    /// <summary>Zero duration.</summary>
    public static Duration Zero => default;

    /// <summary>From minutes.</summary>
    public static Duration FromMinutes(double min) => new(min);

    /// <summary>From seconds.</summary>
    public static Duration FromSeconds(double s) => new(s / 60.0);

    /// <summary>From hours.</summary>
    public static Duration FromHours(double h) => new(h * 60.0);

    /// <summary>From days.</summary>
    public static Duration FromDays(double d) => new(d * 1440.0);

    /// <summary>In minutes.</summary>
    public double Minutes => _min;

    /// <summary>In hours.</summary>
    public double Hours => _min / 60.0;

    /// <summary>In seconds.</summary>
    public double Seconds => _min * 60.0;

    /// <summary>Sum.</summary>
    public static Duration operator +(Duration a, Duration b) => new(a._min + b._min);

    /// <summary>Rate times duration is an amount.</summary>
    public static Mass operator *(DoseRate r, Duration d) => Mass.FromMilligrams(r.MilligramsPerMinute * d._min);

    /// <inheritdoc/>
    public bool Equals(Duration other) => _min.Equals(other._min);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Duration other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _min.GetHashCode();

    /// <inheritdoc/>
    public int CompareTo(Duration other) => _min.CompareTo(other._min);

    /// <summary>Equality.</summary>
    public static bool operator ==(Duration a, Duration b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Duration a, Duration b) => !a.Equals(b);

    /// <summary>Less than.</summary>
    public static bool operator <(Duration a, Duration b) => a._min < b._min;

    /// <summary>Greater than.</summary>
    public static bool operator >(Duration a, Duration b) => a._min > b._min;

    /// <summary>Less or equal.</summary>
    public static bool operator <=(Duration a, Duration b) => a._min <= b._min;

    /// <summary>Greater or equal.</summary>
    public static bool operator >=(Duration a, Duration b) => a._min >= b._min;

    /// <summary>Text in the largest whole unit that reads naturally: "45 min", "4 h", "10 d".</summary>
    public override string ToString()
    {
        var (value, unit) = Natural();
        return SafeNumber.Format(value) + " " + unit;
    }

    /// <summary>The number and unit <see cref="ToString"/> writes, for a message argument that a face formats itself.</summary>
    internal (double Value, string Unit) Natural() =>
        _min >= 2880 && _min % 1440 == 0 ? (_min / 1440, "d")
        : _min >= 60 && _min % 60 == 0 ? (_min / 60, "h")
        : _min < 1 && _min > 0 ? (_min * 60, "s")
        : (_min, "min");
}

/// <summary>Total body weight. Canonical unit kg; 0.3–500 kg (a preterm neonate to the heaviest adults).</summary>
public readonly struct BodyWeight : IEquatable<BodyWeight>
{
    /// <summary>Smallest accepted weight, kg (input sanity, not a model's validity range).</summary>
    public const double MinKilograms = 0.3;

    /// <summary>Largest accepted weight, kg (input sanity, not a model's validity range).</summary>
    public const double MaxKilograms = 500;

    private readonly double _kg;

    private BodyWeight(double kg) => _kg = Guard.InRange(kg, MinKilograms, MaxKilograms, "body weight (kg)");

    /// <summary>From kilograms (0.3–500).</summary>
    public static BodyWeight FromKilograms(double kg) => new(kg);

    /// <summary>In kg.</summary>
    public double Kilograms => _kg;

    /// <inheritdoc/>
    public bool Equals(BodyWeight other) => _kg.Equals(other._kg);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is BodyWeight other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _kg.GetHashCode();

    /// <summary>Equality.</summary>
    public static bool operator ==(BodyWeight a, BodyWeight b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(BodyWeight a, BodyWeight b) => !a.Equals(b);

    /// <summary>"70 kg".</summary>
    public override string ToString() => SafeNumber.Format(_kg) + " kg";
}

/// <summary>A weight-normalised dose. Canonical unit mg/kg; never negative.</summary>
public readonly struct DosePerKg : IEquatable<DosePerKg>
{
    private readonly double _mgPerKg;

    private DosePerKg(double v) => _mgPerKg = Guard.NonNegative(v, "dose per kg");

    /// <summary>From mg/kg.</summary>
    public static DosePerKg FromMilligramsPerKilogram(double v) => new(v);

    /// <summary>From mcg/kg.</summary>
    public static DosePerKg FromMicrogramsPerKilogram(double v) => new(v / 1000.0);

    /// <summary>In mg/kg.</summary>
    public double MilligramsPerKilogram => _mgPerKg;

    /// <summary>The dose for a patient of the given weight.</summary>
    public static Mass operator *(DosePerKg d, BodyWeight w) => Mass.FromMilligrams(d._mgPerKg * w.Kilograms);

    /// <summary>A weight-normalised dose over a duration is a weight-normalised rate.</summary>
    public static WeightNormalizedRate operator /(DosePerKg d, Duration t) => WeightNormalizedRate.FromMilligramsPerKilogramPerMinute(d._mgPerKg / t.Minutes);

    /// <inheritdoc/>
    public bool Equals(DosePerKg other) => _mgPerKg.Equals(other._mgPerKg);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DosePerKg other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _mgPerKg.GetHashCode();

    /// <summary>Equality.</summary>
    public static bool operator ==(DosePerKg a, DosePerKg b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(DosePerKg a, DosePerKg b) => !a.Equals(b);

    /// <summary>"0.5 mg/kg".</summary>
    public override string ToString() => SafeNumber.Format(_mgPerKg) + " mg/kg";
}

/// <summary>An absolute dose rate. Canonical unit mg/min; never negative.</summary>
public readonly struct DoseRate : IEquatable<DoseRate>, IComparable<DoseRate>
{
    private readonly double _mgPerMin;

    private DoseRate(double v) => _mgPerMin = Guard.NonNegative(v, "dose rate");

    /// <summary>Zero rate.</summary>
    public static DoseRate Zero => default;

    /// <summary>From mg/min.</summary>
    public static DoseRate FromMilligramsPerMinute(double v) => new(v);

    /// <summary>From mg/h.</summary>
    public static DoseRate FromMilligramsPerHour(double v) => new(v / 60.0);

    /// <summary>From mcg/min.</summary>
    public static DoseRate FromMicrogramsPerMinute(double v) => new(v / 1000.0);

    /// <summary>In mg/min.</summary>
    public double MilligramsPerMinute => _mgPerMin;

    /// <summary>In mg/h.</summary>
    public double MilligramsPerHour => _mgPerMin * 60.0;

    /// <summary>Rate per body weight.</summary>
    public static WeightNormalizedRate operator /(DoseRate r, BodyWeight w) => WeightNormalizedRate.FromMilligramsPerKilogramPerMinute(r._mgPerMin / w.Kilograms);

    /// <summary>Drug rate through a bag of the given concentration is a flow.</summary>
    public static FlowRate operator /(DoseRate r, Concentration c) => FlowRate.FromLitersPerMinute(r._mgPerMin / c.MilligramsPerLiter);

    /// <inheritdoc/>
    public bool Equals(DoseRate other) => _mgPerMin.Equals(other._mgPerMin);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DoseRate other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _mgPerMin.GetHashCode();

    /// <inheritdoc/>
    public int CompareTo(DoseRate other) => _mgPerMin.CompareTo(other._mgPerMin);

    /// <summary>Equality.</summary>
    public static bool operator ==(DoseRate a, DoseRate b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(DoseRate a, DoseRate b) => !a.Equals(b);

    /// <summary>Less than.</summary>
    public static bool operator <(DoseRate a, DoseRate b) => a._mgPerMin < b._mgPerMin;

    /// <summary>Greater than.</summary>
    public static bool operator >(DoseRate a, DoseRate b) => a._mgPerMin > b._mgPerMin;

    /// <summary>"35 mg/h".</summary>
    public override string ToString() => SafeNumber.Format(MilligramsPerHour) + " mg/h";
}

/// <summary>A weight-normalised dose rate. Canonical unit mg/kg/min; never negative.</summary>
public readonly struct WeightNormalizedRate : IEquatable<WeightNormalizedRate>, IComparable<WeightNormalizedRate>
{
    private readonly double _mgPerKgPerMin;

    private WeightNormalizedRate(double v) => _mgPerKgPerMin = Guard.NonNegative(v, "weight-normalised rate");

    /// <summary>From mg/kg/min.</summary>
    public static WeightNormalizedRate FromMilligramsPerKilogramPerMinute(double v) => new(v);

    /// <summary>From mg/kg/h.</summary>
    public static WeightNormalizedRate FromMilligramsPerKilogramPerHour(double v) => new(v / 60.0);

    /// <summary>From mcg/kg/min.</summary>
    public static WeightNormalizedRate FromMicrogramsPerKilogramPerMinute(double v) => new(v / 1000.0);

    /// <summary>In mg/kg/min.</summary>
    public double MilligramsPerKilogramPerMinute => _mgPerKgPerMin;

    /// <summary>In mg/kg/h.</summary>
    public double MilligramsPerKilogramPerHour => _mgPerKgPerMin * 60.0;

    /// <summary>In mcg/kg/min.</summary>
    public double MicrogramsPerKilogramPerMinute => _mgPerKgPerMin * 1000.0;

    /// <summary>The absolute rate for a patient of the given weight.</summary>
    public static DoseRate operator *(WeightNormalizedRate r, BodyWeight w) => DoseRate.FromMilligramsPerMinute(r._mgPerKgPerMin * w.Kilograms);

    /// <inheritdoc/>
    public bool Equals(WeightNormalizedRate other) => _mgPerKgPerMin.Equals(other._mgPerKgPerMin);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is WeightNormalizedRate other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _mgPerKgPerMin.GetHashCode();

    /// <inheritdoc/>
    public int CompareTo(WeightNormalizedRate other) => _mgPerKgPerMin.CompareTo(other._mgPerKgPerMin);

    /// <summary>Equality.</summary>
    public static bool operator ==(WeightNormalizedRate a, WeightNormalizedRate b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(WeightNormalizedRate a, WeightNormalizedRate b) => !a.Equals(b);

    /// <summary>Less than.</summary>
    public static bool operator <(WeightNormalizedRate a, WeightNormalizedRate b) => a._mgPerKgPerMin < b._mgPerKgPerMin;

    /// <summary>Greater than.</summary>
    public static bool operator >(WeightNormalizedRate a, WeightNormalizedRate b) => a._mgPerKgPerMin > b._mgPerKgPerMin;

    /// <summary>"0.5 mg/kg/h".</summary>
    public override string ToString() => SafeNumber.Format(MilligramsPerKilogramPerHour) + " mg/kg/h";
}

/// <summary>A volumetric flow, as programmed into a pump. Canonical unit L/min; never negative.</summary>
public readonly struct FlowRate : IEquatable<FlowRate>
{
    private readonly double _lPerMin;

    private FlowRate(double v) => _lPerMin = Guard.NonNegative(v, "flow rate");

    /// <summary>From L/min.</summary>
    public static FlowRate FromLitersPerMinute(double v) => new(v);

    /// <summary>From mL/h, the unit pumps are programmed in.</summary>
    public static FlowRate FromMillilitersPerHour(double v) => new(v / 60000.0);

    /// <summary>In mL/h.</summary>
    public double MillilitersPerHour => _lPerMin * 60000.0;

    /// <summary>In L/min.</summary>
    public double LitersPerMinute => _lPerMin;

    /// <summary>Flow of a bag of the given concentration is a drug rate.</summary>
    public static DoseRate operator *(FlowRate f, Concentration c) => DoseRate.FromMilligramsPerMinute(f._lPerMin * c.MilligramsPerLiter);

    /// <inheritdoc/>
    public bool Equals(FlowRate other) => _lPerMin.Equals(other._lPerMin);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is FlowRate other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _lPerMin.GetHashCode();

    /// <summary>Equality.</summary>
    public static bool operator ==(FlowRate a, FlowRate b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(FlowRate a, FlowRate b) => !a.Equals(b);

    /// <summary>"35 mL/h".</summary>
    public override string ToString() => SafeNumber.Format(MillilitersPerHour) + " mL/h";
}

/// <summary>Molar mass of a substance, g/mol, computed from its formula with IUPAC standard atomic weights.</summary>
public readonly struct MolarMass : IEquatable<MolarMass>
{
    // IUPAC 2021 conventional atomic weights (g/mol).
    private const double C = 12.011, H = 1.008, Cl = 35.45, N = 14.007, O = 15.999;

    private readonly double _gPerMol;

    private MolarMass(double g) => _gPerMol = Guard.Positive(g, "molar mass");

    /// <summary>Ketamine free base C13H16ClNO: 237.73 g/mol (clinical-reference: Units and constants (units): 1 µM = 237.7 ng/mL).</summary>
    public static MolarMass Ketamine { get; } = new((13 * C) + (16 * H) + Cl + N + O);

    /// <summary>Norketamine C12H14ClNO: 223.70 g/mol.</summary>
    public static MolarMass Norketamine { get; } = new((12 * C) + (14 * H) + Cl + N + O);

    /// <summary>(2R,6R)/(2S,6S)-hydroxynorketamine C12H14ClNO2: 239.70 g/mol.</summary>
    public static MolarMass Hydroxynorketamine { get; } = new((12 * C) + (14 * H) + Cl + N + (2 * O));

    /// <summary>Bilirubin C33H36N4O6: 584.67 g/mol (clinical-reference: Units and constants (units)), for laboratories reporting µmol/L.</summary>
    public static MolarMass Bilirubin { get; } = new((33 * C) + (36 * H) + (4 * N) + (6 * O));

    /// <summary>From g/mol.</summary>
    public static MolarMass FromGramsPerMole(double v) => new(v);

    /// <summary>In g/mol.</summary>
    public double GramsPerMole => _gPerMol;

    /// <inheritdoc/>
    public bool Equals(MolarMass other) => _gPerMol.Equals(other._gPerMol);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is MolarMass other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _gPerMol.GetHashCode();

    /// <summary>Equality.</summary>
    public static bool operator ==(MolarMass a, MolarMass b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(MolarMass a, MolarMass b) => !a.Equals(b);

    /// <summary>"237.73 g/mol".</summary>
    public override string ToString() => SafeNumber.Format(_gPerMol, 5) + " g/mol";
}
