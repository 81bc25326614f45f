using Microsoft.Extensions.Localization;
using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Charts;
using KetaCare.Interop.Text;
using KetaCare.Pharmacology.Models;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Plans;

/// <summary>
/// A new treatment plan: choose protocol, model, preparation and start dose; the preview shows the dose-limit
/// findings, the predicted concentrations of the first and the highest planned session against the clinical bands
/// and the receptor occupancy at the peak; then the physician prescribes. A hard limit refuses; a soft limit needs
/// an override reason (only a physician reaches this page). The preview is a GET, so it changes nothing.
/// </summary>
[Authorize(Policy = Policies.Prescribe)]
public sealed class NewModel(KetaCareDbContext db, ClinicRequest request, IStringLocalizer<Strings> T, TreatmentService treatments) : PageModel
{
    // Preparations are the built-in library's; the dose check uses the library in force (the clinic's PK thresholds).
    private static DrugLibrary Drugs => DrugLibrary.Default;

    public Patient Patient { get; private set; } = null!;

    public IReadOnlyList<ProtocolVersionInfo> Protocols { get; private set; } = [];

    public static IReadOnlyList<PkModel> Models => ModelLibrary.All;

    public static IReadOnlyList<Preparation> Preparations => Drugs.Preparations;

    [BindProperty(SupportsGet = true)]
    public string? ProtocolId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ModelId { get; set; } = "domino1984";

    [BindProperty(SupportsGet = true)]
    public string? PreparationId { get; set; }

    /// <summary>Start dose as typed, in the protocol's unit; blank for the protocol's start dose.</summary>
    [BindProperty(SupportsGet = true)]
    public string? StartDose { get; set; }

    [BindProperty]
    public string? OverrideReason { get; set; }

    public PlanPreview? Preview { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The finding codes of the refusal shown in <see cref="Error"/> (empty for an uncoded one).</summary>
    public IReadOnlyList<string> ErrorCodes { get; private set; } = [];

    /// <summary>The concentration chart of the preview, or null without a preview.</summary>
    public string? ChartUrl { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken).ConfigureAwait(false))
        {
            return NotFound();
        }

        if (!string.IsNullOrWhiteSpace(ProtocolId))
        {
            var preview = await PreviewAsync(cancellationToken).ConfigureAwait(false);
            if (preview.IsSuccess)
            {
                Preview = preview.Value;
                ChartUrl = $"/Patients/{id}/Plan/New?handler=Chart&ProtocolId={Uri.EscapeDataString(ProtocolId!)}&ModelId={Uri.EscapeDataString(ModelId!)}&PreparationId={Uri.EscapeDataString(PreparationId!)}&StartDose={Uri.EscapeDataString(StartDose!)}";
            }
            else
            {
                (Error, ErrorCodes) = (Say(preview.Refusal), Codes(preview.Refusal));
            }
        }

        return Page();
    }

    /// <summary>The preview's concentration chart (SVG) for the same choices as the page.</summary>
    public async Task<IActionResult> OnGetChartAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken).ConfigureAwait(false))
        {
            return NotFound();
        }

        var preview = await PreviewAsync(cancellationToken).ConfigureAwait(false);
        var svg = preview.IsSuccess ? preview.Value.ChartSvg(T["First session"], T["Highest planned session"], ChartText.For(CultureInfo.CurrentUICulture)) : null;
        return svg is null ? NotFound() : Content(svg, "image/svg+xml");
    }

    /// <summary>Prescribes after checking the dose again (the preview may be stale); nothing is stored when refused.</summary>
    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken).ConfigureAwait(false))
        {
            return NotFound();
        }

        var preview = await PreviewAsync(cancellationToken).ConfigureAwait(false);
        if (!preview.IsSuccess)
        {
            (Error, ErrorCodes) = (Say(preview.Refusal), Codes(preview.Refusal));
            return Page();
        }

        Preview = preview.Value;

        // The clinic layer checks the dose again and records the reason with the plan; nothing is decided here.
        var plan = await treatments.PrescribeAsync(Prescription(Preview.First.Dose), OverrideReason, request.RequiredUser, cancellationToken).ConfigureAwait(false);
        if (!plan.IsSuccess)
        {
            (Error, ErrorCodes) = (Say(plan.Refusal), Codes(plan.Refusal));
            return Page();
        }

        TempData["Message"] = T["Plan prescribed."].Value;
        return Redirect("/Plans/" + plan.Value.Id.Value);
    }

    /// <summary>A bag for an infusion, a vial for an injection or spray; always one the route may use.</summary>
    public static Preparation DefaultPreparation(Protocol protocol) => TreatmentService.DefaultPreparation(Drugs, protocol);

    private PrescriptionRequest Prescription(DoseLevel dose) => new(Patient.Id, ProtocolId!, ModelId ?? string.Empty, PreparationId, dose);

    private static string Say(Refusal refusal) => FindingText.Render(refusal.Findings, refusal.Error, CultureInfo.CurrentCulture);

    private static string[] Codes(Refusal refusal) => [.. refusal.Findings.Select(f => f.Code).Distinct(StringComparer.Ordinal)];

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var chart = await new PatientService(db, request.Clock).OpenChartAsync(new PatientId(id), request.RequiredUser, cancellationToken).ConfigureAwait(false);
        if (!chart.IsSuccess)
        {
            return false;
        }

        Patient = chart.Value;
        Protocols = await new ProtocolService(db, request.Clock).ListAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<Outcome<PlanPreview>> PreviewAsync(CancellationToken cancellationToken)
    {
        var protocol = await new ProtocolService(db, request.Clock).FindAsync(ProtocolId?.Trim() ?? string.Empty, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!protocol.IsSuccess)
        {
            return protocol.Refusal;
        }

        var p = protocol.Value.Protocol;
        var model = ModelLibrary.Get(ModelId, T["Model"]);
        if (!model.IsSuccess)
        {
            return Refusal.From(model);
        }

        var preparation = string.IsNullOrWhiteSpace(PreparationId) ? Outcome<Preparation>.Ok(DefaultPreparation(p)) : Drugs.Preparation(PreparationId.Trim());
        if (!preparation.IsSuccess)
        {
            return preparation.Refusal;
        }

        var dose = p.Start;
        if (!string.IsNullOrWhiteSpace(StartDose) && !PlanInput.TryDose(StartDose, p.Start.Basis, T["Start dose"], out dose, out var doseError))
        {
            return new Refusal(doseError!);
        }

        ProtocolId = p.Id;
        ModelId = model.Value.Id;
        PreparationId = preparation.Value.Id;
        if (string.IsNullOrWhiteSpace(StartDose))
        {
            StartDose = WebNumber.Show(dose.Value);
        }

        return await treatments.PreviewAsync(Prescription(dose), cancellationToken).ConfigureAwait(false);
    }
}
