using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Stock;
using KetaCare.Clinic.Users;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Web.Pages.Stock;

/// <summary>
/// The printable labels of a session's preparations, one per bag or syringe: the patient (name, record number, date of
/// birth), the drug, its concentration, volume and amount, the diluent, when and by whom it was prepared and checked, and
/// the lots drawn into it with their expiry. The session read is audited like the session screen.
/// </summary>
[Authorize(Policy = Policies.ReadStock)]
public sealed class LabelModel(StockService stock, KetaCareDbContext db, UserManager<ClinicUser> users, ClinicRequest request) : StockPage(stock, db, users, request)
{
    [FromRoute]
    public Guid Id { get; set; }

    /// <summary>The labels, in the order prepared.</summary>
    public IReadOnlyList<PreparationLabel> Labels { get; private set; } = [];

    /// <summary>"Family, Given".</summary>
    public string PatientName { get; private set; } = string.Empty;

    /// <summary>The medical record number.</summary>
    public string RecordNumber { get; private set; } = string.Empty;

    /// <summary>The date of birth.</summary>
    public DateOnly BirthDate { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var session = await new SessionService(Db, Clinic.Clock).GetAsync(new SessionId(Id), By, cancellationToken);
        if (!session.IsSuccess)
        {
            return NotFound();
        }

        await LoadPickersAsync(cancellationToken);
        var patient = await Db.Patients.AsNoTracking().SingleAsync(p => p.Id == session.Value.PatientId, cancellationToken);
        (PatientName, RecordNumber, BirthDate) = (patient.FamilyName + ", " + patient.GivenName, patient.MedicalRecordNumber, patient.BirthDate);
        Labels = await Stock.LabelsAsync(new SessionId(Id), cancellationToken);
        await Stock.RecordReadAsync("labels " + session.Value.Id, By, session.Value.PatientId, cancellationToken);
        return Page();
    }

    protected override Task OnLoadAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
