namespace KetaCare.Cli;

/// <summary>Process exit codes of <c>ketacare</c>.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>A verification case failed, or the model refused the patient.</summary>
    public const int Refused = 1;

    /// <summary>Usage or input error; the message on stderr names the option and what is allowed.</summary>
    public const int Usage = 2;
}
