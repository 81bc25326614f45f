namespace KetaCare.Interop;

/// <summary>Identifiers KetaCare writes into records that leave it (FHIR system URIs, report producer).</summary>
public static class InteropInfo
{
    /// <summary>The base of KetaCare's own code systems and identifier systems; stable across versions.</summary>
    public const string SystemBase = "https://ketacare.org/fhir";
}
