namespace KetaCare.Clinic.Stock;

/// <summary>
/// A jurisdiction's template of the controlled-substance registers: for each register (by name, e.g.
/// <c>dispensing</c>), the columns it carries, in order, named by their English header (the text key). A register the
/// template does not name carries every column KetaCare keeps. Selected in the clinic's <see cref="StockSettings"/>.
/// </summary>
/// <param name="Id">Stable id stored in the settings, e.g. <c>us-dea</c>.</param>
/// <param name="Name">English name (a text key), e.g. "United States (DEA, 21 CFR 1304)".</param>
/// <param name="Columns">Per register, the columns in order.</param>
public sealed record RegisterTemplate(string Id, string Name, IReadOnlyDictionary<string, IReadOnlyList<string>> Columns)
{
    /// <summary>
    /// The US Drug Enforcement Administration's record-keeping for a dispensing registrant (21 CFR 1304.11, 1304.21,
    /// 1304.22(c), 1301.76(b)): the dispensing register carries to whom, when, how much, by whom and the witnesses of the
    /// draw and the waste, without KetaCare's own preparation check; the other registers carry every column.
    /// </summary>
    public static RegisterTemplate UsDea { get; } = new(
        "us-dea",
        "United States (DEA, 21 CFR 1304)",
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["dispensing"] = ["Date", "Patient", "Session", "Product", "Lot", "Location", "Volume drawn (mL)", "Drug drawn (mg)", "Drug given (mg)", "Drug wasted (mg)", "Drawn by", "Draw witnessed by", "Wasted by", "Waste witnessed by"],
            ["loss"] = ["Registrant", "Address", "Discovered", "Code", "Product", "Strength (mg/mL)", "Dosage form", "Lot", "Location", "Quantity lost (mL)", "Quantity lost (mg)", "Vials (equivalent)", "Counted by", "Witnessed by", "Status", "Investigation", "Resolution"],
        });

    /// <summary>Every column KetaCare keeps, in every register (for a jurisdiction without a template yet, or an internal audit).</summary>
    public static RegisterTemplate Complete { get; } = new("complete", "Every column KetaCare keeps", new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal));

    /// <summary>The templates offered, the default first.</summary>
    public static IReadOnlyList<RegisterTemplate> All { get; } = [UsDea, Complete];

    /// <summary>The template with this id, or null.</summary>
    public static RegisterTemplate? Find(string? id) => All.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.Ordinal));

    /// <summary>The columns of <paramref name="register"/> under this template: its list, or all of <paramref name="available"/>.</summary>
    public IReadOnlyList<string> ColumnsOf(string register, IReadOnlyList<string> available) =>
        Columns.TryGetValue(register, out var columns) ? columns : available;
}
