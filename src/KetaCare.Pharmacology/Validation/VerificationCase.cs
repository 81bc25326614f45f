namespace KetaCare.Pharmacology.Validation;

/// <summary>One verification case of the engine: what was measured, against what, with which tolerance.</summary>
/// <param name="Id">Stable id, e.g. "domino-clearance-70kg".</param>
/// <param name="Description">What is checked, in words.</param>
/// <param name="Reference">The independent method or published figure it is compared with.</param>
/// <param name="Measured">The engine's value.</param>
/// <param name="Expected">The reference value.</param>
/// <param name="Error">The error as defined by <paramref name="ErrorKind"/>.</param>
/// <param name="Tolerance">Largest accepted error, with the same definition.</param>
/// <param name="ErrorKind">"relative" or "absolute (unit)".</param>
public sealed record VerificationCase(string Id, string Description, string Reference, double Measured, double Expected, double Error, double Tolerance, string ErrorKind)
{
    /// <summary>True when the error is within tolerance (NaN never passes).</summary>
    public bool Passed => Error <= Tolerance;
}
