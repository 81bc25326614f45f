namespace KetaCare.Web.Pages.Shared;

/// <summary>The values the BPI items are shown with (<c>_BpiItems.cshtml</c>): the form's earlier input, or empty.</summary>
/// <param name="Worst">Worst pain.</param>
/// <param name="Least">Least pain.</param>
/// <param name="Average">Average pain.</param>
/// <param name="Now">Pain now.</param>
/// <param name="Interference">The seven interference items, in order.</param>
/// <param name="Legend">The English text of the interference items' legend.</param>
/// <param name="Spinner">True for number inputs limited to 0–10 (the patient's phone form); false for plain text inputs the server checks.</param>
public sealed record BpiItems(string? Worst, string? Least, string? Average, string? Now, IReadOnlyList<string?> Interference, string Legend, bool Spinner)
{
    /// <summary>The staff's outcome form: text inputs with the values posted before.</summary>
    public static BpiItems Staff(string? worst, string? least, string? average, string? now, IReadOnlyList<string?> interference) =>
        new(worst, least, average, now, interference, "Interference", false);

    /// <summary>The patient's diary on a phone: empty number inputs limited to 0–10.</summary>
    public static BpiItems Patient { get; } = new(null, null, null, null, [], "How much has pain interfered with:", true);
}
