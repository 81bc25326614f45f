using KetaCare.Clinic.Portal;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;
using KetaCare.Web.Pages.Patients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace KetaCare.Web.Pages.Portal;

/// <summary>Side effects between sessions: dissociation after-effects, nausea, urinary symptoms, mood; each with its severity.</summary>
public sealed class SideEffectsModel(PortalService portal, ClinicRequest request, ClinicTime time, IStringLocalizer<Strings> T) : PortalPage(portal, request, time)
{
    /// <summary>The kinds with their labels, in the form's order.</summary>
    public static IReadOnlyList<(SideEffectKind Kind, string Label)> Kinds { get; } =
    [
        (SideEffectKind.Dissociation, "Strange feelings or dissociation after the session"),
        (SideEffectKind.Nausea, "Nausea or vomiting"),
        (SideEffectKind.UrinarySymptoms, "Urinary symptoms (pain, urgency, blood)"),
        (SideEffectKind.Mood, "Low mood or anxiety"),
    ];

    /// <summary>The severities with their labels.</summary>
    public static IReadOnlyList<(KetaCare.Clinic.Patients.Severity Severity, string Label)> Severities { get; } = [(KetaCare.Clinic.Patients.Severity.Mild, "Mild"), (KetaCare.Clinic.Patients.Severity.Moderate, "Moderate"), (KetaCare.Clinic.Patients.Severity.Severe, "Severe")];

    [BindProperty]
    public string? At { get; set; }

    [BindProperty]
    public string? Kind { get; set; }

    [BindProperty]
    public string? Severity { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    /// <summary>The label of a kind.</summary>
    public static string Label(SideEffectKind kind) => Kinds.First(k => k.Kind == kind).Label;

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => ShowAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!TryReport(out var report, out var error))
        {
            return await FailAsync(error!, cancellationToken).ConfigureAwait(false);
        }

        var r = await Portal.RecordSideEffectAsync(Account, report, cancellationToken).ConfigureAwait(false);
        return r.IsSuccess ? Done() : await FailAsync(Say(r.Refusal), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Corrects an earlier report with a reason; the earlier one stays, shown as corrected.</summary>
    public async Task<IActionResult> OnPostAmendAsync(CancellationToken cancellationToken)
    {
        if (!TryReport(out var report, out var error))
        {
            return await FailAsync(error!, cancellationToken).ConfigureAwait(false);
        }

        var r = await Portal.AmendSideEffectAsync(Account, Version, new KetaCare.Clinic.EntryId(Entry), report, Reason ?? string.Empty, cancellationToken).ConfigureAwait(false);
        return r.IsSuccess ? Done() : await FailAsync(Say(r.Refusal), cancellationToken).ConfigureAwait(false);
    }

    private bool TryReport(out SideEffectReport report, out string? error)
    {
        report = null!;
        if (!Time.TryParseLocal(At, Today, T["When"], out var at, out error)
            || !PatientInput.TryChoice<SideEffectKind>(Kind, T["What"], out var kind, out error)
            || !PatientInput.TryChoice<KetaCare.Clinic.Patients.Severity>(Severity, T["How bad"], out var severity, out error))
        {
            return false;
        }

        report = new SideEffectReport(at, kind, severity, Note);
        return true;
    }

    private RedirectResult Done()
    {
        TempData["Message"] = T["Saved. Thank you."].Value;
        return Redirect("/Portal/SideEffects");
    }
}
