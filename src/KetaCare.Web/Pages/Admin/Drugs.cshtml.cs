using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Admin;

/// <summary>One limit of one protocol, as a row.</summary>
/// <param name="Protocol">Protocol id.</param>
/// <param name="What">What is limited (English text key).</param>
/// <param name="Unit">Unit of the value.</param>
/// <param name="Hard">True for a hard limit.</param>
/// <param name="Limit">The value and its source.</param>
public sealed record LimitRow(string Protocol, string What, string Unit, bool Hard, Limit Limit);

/// <summary>The drug library: preparations, the dose limits of every stored protocol with their sources, the PK thresholds. Read-only.</summary>
[Authorize(Policy = Policies.Administer)]
public sealed class DrugsModel(KetaCareDbContext db, ClinicRequest request) : PageModel
{
    public DrugLibrary Library => DrugLibrary.Default;

    public IReadOnlyList<LimitRow> LimitRows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var rows = new List<LimitRow>();
        foreach (var p in await new ProtocolService(db, request.Clock).ListAsync(cancellationToken))
        {
            var l = Library.LimitsFor(p.Protocol);
            var id = p.Protocol.Id;
            void Add(string what, string unit, bool hard, Limit? limit)
            {
                if (limit is not null)
                {
                    rows.Add(new LimitRow(id, what, unit, hard, limit));
                }
            }

            Add("Infusion rate per kg", "mg/kg/h", true, l.HardMgPerKgPerHour);
            Add("Infusion rate per kg", "mg/kg/h", false, l.SoftMgPerKgPerHour);
            Add("Infusion rate", "mg/h", true, l.HardMgPerHour);
            Add("Infusion rate", "mg/h", false, l.SoftMgPerHour);
            Add("Bolus per kg", "mg/kg", true, l.HardBolusMgPerKg);
            Add("Single dose", "mg", true, l.HardSingleDoseMg);
        }

        LimitRows = rows;
    }
}
