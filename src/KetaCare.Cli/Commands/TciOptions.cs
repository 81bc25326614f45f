namespace KetaCare.Cli.Commands;

/// <summary>The TCI planner names its settings (TciSettings properties in camelCase); the command line names options.</summary>
internal static class TciOptions
{
    private static readonly (string Field, string Option)[] Fields =
    [
        ("target", "--target"),
        ("site", "--site"),
        ("duration", "--for"),
        ("updatePeriod", "--period"),
        ("concentration", "--concentration"),
        ("maxRate", "--max-rate"),
        ("maxPlasma", "--max-plasma"),
        ("maxRatePerKg", "--max-rate-per-kg"),
        ("steps", "--steps"),
        ("weight", "--weight"),
    ];

    /// <summary>"maxRate: must be …" becomes "--max-rate: must be …"; other text is returned as it is.</summary>
    public static string Name(string message)
    {
        foreach (var (field, option) in Fields)
        {
            if (message.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return option + message[field.Length..];
            }
        }

        return message;
    }
}
