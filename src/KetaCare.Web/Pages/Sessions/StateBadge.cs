using KetaCare.Clinic.Sessions;

namespace KetaCare.Web.Pages.Sessions;

/// <summary>The colour of a session state's badge on the pages.</summary>
public static class StateBadge
{
    /// <summary>The badge colour of a state.</summary>
    public static string Class(SessionState state) => state switch
    {
        SessionState.Running => "ok",
        SessionState.Paused or SessionState.StoppedEarly => "warn",
        SessionState.Cancelled => "bad",
        _ => string.Empty,
    };
}
