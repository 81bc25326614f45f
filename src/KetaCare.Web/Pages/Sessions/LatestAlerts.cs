using KetaCare.Clinic.Sessions;

namespace KetaCare.Web.Pages.Sessions;

/// <summary>What the session screen and the dashboard show as alerts still calling for action.</summary>
public static class LatestAlerts
{
    /// <summary>
    /// The alerts raised by the latest active observation (by its time). A later observation without alerts, or a
    /// correction of the one that raised them, clears them; the alert log keeps every alert ever raised.
    /// </summary>
    public static IReadOnlyList<RaisedAlert> Of(InfusionSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var latest = session.Observations.Active.OrderBy(e => e.Value.At).LastOrDefault();
        return latest is null ? [] : [.. session.ActiveAlerts.Where(a => a.Observation == latest.Id && a.Revision == latest.Revision)];
    }

    /// <summary>The reason given for the current pause, when the session is paused.</summary>
    public static string? PauseReason(InfusionSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.State == SessionState.Paused ? session.Transitions.LastOrDefault(t => t.To == SessionState.Paused)?.Reason : null;
    }
}
