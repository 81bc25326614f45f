using KetaCare.Clinic.Stock;

namespace KetaCare.Interop.Text;

/// <summary>One register the clinic can download.</summary>
/// <param name="Name">File name without extension, e.g. <c>dispensing</c>.</param>
/// <param name="Title">English title (the text key).</param>
public sealed record StockReportInfo(string Name, string Title);

/// <summary>English text keys of the register's kinds, holds and statuses, and the downloadable registers.</summary>
public static class StockLabels
{
    /// <summary>The registers, in the order offered.</summary>
    public static IReadOnlyList<StockReportInfo> Reports { get; } =
    [
        new("dispensing", "Dispensing and administration register"),
        new("inventory", "Perpetual inventory"),
        new("receipts", "Receipts"),
        new("waste", "Waste and returns log"),
        new("discrepancies", "Discrepancy report"),
        new("biennial", "Periodic (biennial) inventory"),
        new("loss", "Loss report draft (DEA Form 106)"),
        new("ledger", "Full ledger"),
    ];

    /// <summary>The hold's text key.</summary>
    public static string Hold(LotHold hold) => hold switch
    {
        LotHold.Quarantined => "quarantined",
        LotHold.Recalled => "recalled",
        _ => "usable",
    };

    /// <summary>The status's text key.</summary>
    public static string Status(DiscrepancyStatus status) => status switch
    {
        DiscrepancyStatus.Investigating => "investigating",
        DiscrepancyStatus.Resolved => "closed",
        _ => "open",
    };

    /// <summary>The movement kind's text key; a waste with a session is the session's remainder.</summary>
    public static string Kind(StockMovement movement)
    {
        ArgumentNullException.ThrowIfNull(movement);
        return movement.Kind switch
        {
            MovementKind.Receipt => "receipt",
            MovementKind.TransferOut => "transfer out",
            MovementKind.TransferIn => "transfer in",
            MovementKind.Draw => "draw for a session",
            MovementKind.Preparation => "preparation of the infusion",
            MovementKind.Waste when movement.Session is not null => "waste of the session's remainder",
            MovementKind.Waste => "waste at the location",
            MovementKind.Return => "return",
            MovementKind.Count => "two-person count",
            _ => "adjustment",
        };
    }
}
