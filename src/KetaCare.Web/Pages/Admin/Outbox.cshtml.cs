using System.Globalization;
using KetaCare.Clinic.Messaging;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace KetaCare.Web.Pages.Admin;

/// <summary>
/// The outbox of e-mails and text messages, by state and template: attempts, next attempt, last error, Message-Id,
/// masked recipient, times. A message set aside can be sent again, a pending one withdrawn, each with a reason
/// (<see cref="OutboxService"/> decides, refuses and audits). Secret parameters never reach this page.
/// </summary>
[Authorize(Policy = Policies.Administer)]
public sealed class OutboxModel(OutboxService outbox, ClinicRequest request, ClinicTime time, IStringLocalizer<Strings> T) : PageModel
{
    /// <summary>The states offered by the filter, with their labels.</summary>
    public static IReadOnlyList<(OutboxState State, string Label)> States { get; } =
    [
        (OutboxState.Pending, "Pending"),
        (OutboxState.Sending, "Sending"),
        (OutboxState.Sent, "Sent"),
        (OutboxState.Failed, "Failed (set aside after the last attempt)"),
        (OutboxState.NotConfigured, "Set aside (no gateway configured)"),
        (OutboxState.NotSendable, "Set aside (no consented contact)"),
        (OutboxState.Cancelled, "Withdrawn"),
    ];

    /// <summary>State filter from the query string (a state name); empty for all.</summary>
    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    /// <summary>Template filter from the query string; empty for all.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Template { get; set; }

    [BindProperty]
    public Guid Message { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    /// <summary>The messages shown.</summary>
    public IReadOnlyList<OutboxEntry> Messages { get; private set; } = [];

    /// <summary>A refusal to show.</summary>
    public string? Error { get; private set; }

    /// <summary>The clinic's time zone.</summary>
    public ClinicTime Time => time;

    /// <summary>The label of a state.</summary>
    public static string Label(OutboxState state) => States.First(s => s.State == state).Label;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>Sends a failed or set-aside message again.</summary>
    public Task<IActionResult> OnPostRetryAsync(CancellationToken cancellationToken) =>
        StepAsync(outbox.RetryAsync(Message, Reason, request.RequiredUser, cancellationToken), "The message will be sent again.", cancellationToken);

    /// <summary>Withdraws a pending message.</summary>
    public Task<IActionResult> OnPostWithdrawAsync(CancellationToken cancellationToken) =>
        StepAsync(outbox.WithdrawAsync(Message, Reason, request.RequiredUser, cancellationToken), "The message was withdrawn.", cancellationToken);

    private async Task<IActionResult> StepAsync(Task<KetaCare.Clinic.Outcome<OutboxEntry>> step, string done, CancellationToken cancellationToken)
    {
        var r = await step;
        if (!r.IsSuccess)
        {
            Error = FindingText.Render(r.Refusal.Findings, r.Refusal.Error, CultureInfo.CurrentCulture);
            await LoadAsync(cancellationToken);
            return Page();
        }

        TempData["Message"] = T[done].Value;
        return RedirectToPage("/Admin/Outbox", new { State, Template });
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        OutboxState? state = null;
        if (!string.IsNullOrEmpty(State))
        {
            if (!Enum.TryParse<OutboxState>(State, ignoreCase: false, out var s) || !Enum.IsDefined(s))
            {
                Error = $"state: choose one of {string.Join(", ", Enum.GetNames<OutboxState>())}.";
                State = null;
            }
            else
            {
                state = s;
            }
        }

        var template = string.IsNullOrEmpty(Template) ? null : MessageTemplates.All.FirstOrDefault(t => t == Template);
        Messages = await outbox.ListAsync(new OutboxQuery(state, template), cancellationToken);
    }
}
