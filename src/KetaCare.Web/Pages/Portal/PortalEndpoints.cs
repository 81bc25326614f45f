using System.Globalization;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Fhir;
using KetaCare.Interop.Reports;
using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Pages.Portal;

/// <summary>
/// The patient's downloads of their own record under <c>/portal</c>: the course report (PDF) and the FHIR bundle of
/// <c>Patient/$everything</c>, the same exports staff use. The patient is the one linked to the signed-in account; the
/// path names no id, so there is nothing to change to reach another record. Audited as reads by the patient.
/// </summary>
public static class PortalEndpoints
{
    /// <summary>Maps the downloads (Portal policy).</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var g = app.MapGroup("/portal").RequireAuthorization(Policies.Portal).ExcludeFromDescription();
        g.MapGet("/record.pdf", async (HttpContext http, WorkLimits limits, PortalService portal, KetaCareDbContext db, ClinicRequest request) =>
        {
            var patient = await portal.PatientOfAsync(request.RequiredUser, http.RequestAborted).ConfigureAwait(false);
            if (!patient.IsSuccess)
            {
                return Results.Forbid();
            }

            return await WorkLimits.RunAsync(
                http,
                limits.Report,
                async ct =>
                {
                    var pdf = await new ReportService(db, request.Clock, CultureInfo.CurrentUICulture).CourseReportAsync(patient.Value, request.RequiredUser, ct).ConfigureAwait(false);
                    return pdf.IsSuccess ? Results.File(pdf.Value, "application/pdf", "my-record.pdf") : Results.NotFound();
                },
                () => WorkLimits.TooLong("The report my-record.pdf", limits.Report)).ConfigureAwait(false);
        });
        g.MapGet("/record.fhir.json", async (HttpContext http, PortalService portal, KetaCareDbContext db, ClinicRequest request) =>
        {
            var patient = await portal.PatientOfAsync(request.RequiredUser, http.RequestAborted).ConfigureAwait(false);
            if (!patient.IsSuccess)
            {
                return Results.Forbid();
            }

            var bundle = await new FhirExporter(db, request.Clock).EverythingAsync(patient.Value, request.RequiredUser, $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/fhir", http.RequestAborted).ConfigureAwait(false);
            return bundle.IsSuccess
                ? Results.File(System.Text.Encoding.UTF8.GetBytes(FhirJson.Serialize(bundle.Value)), FhirJson.MediaType, "my-record.fhir.json")
                : Results.NotFound();
        });
    }
}
