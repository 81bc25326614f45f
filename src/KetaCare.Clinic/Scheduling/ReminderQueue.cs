using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Messaging;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Scheduling;

/// <summary>
/// Puts a booking's reminders in the outbox and keeps the unsent ones in step with the patient's chart. Each reminder
/// time (a "slot": 48 h, 24 h, the pre-visit checklist) gets one message per channel the patient can be reached on —
/// an address on the chart (or the booking's own override) and the patient's consent to that channel — and, when there
/// is none, one row set aside as <see cref="OutboxState.NotSendable"/> whose last error is the reason's code, so that
/// staff see on the booking that nothing will go out. Keys: <c>appointment/{id}/{slot}/{email|text|none}</c>.
/// Works on the caller's context and unit of work; not thread-safe.
/// </summary>
/// <param name="db">The context (the caller saves).</param>
/// <param name="clock">The clock.</param>
internal sealed class ReminderQueue(KetaCareDbContext db, TimeProvider clock)
{
    private const string None = "none";

    /// <summary>A reminder time of a booking.</summary>
    /// <param name="Name">Its part of the key ("reminder-48h", "checklist").</param>
    /// <param name="Template">Its template.</param>
    /// <param name="Due">When it falls due (UTC).</param>
    internal sealed record Slot(string Name, string Template, DateTimeOffset Due);

    /// <summary>
    /// Adds the reminders of a new booking to the context. A slot whose time has passed (a booking made less than 48 h
    /// ahead) goes out now — only the latest past slot of each template, so that a booking for tomorrow sends one
    /// appointment reminder, not the 48 h and the 24 h one together.
    /// </summary>
    public void QueueNew(AppointmentRecord appointment, IEnumerable<Slot> slots, IReadOnlyDictionary<string, string> parameters, PatientContact? chart)
    {
        var (targets, language, code) = Targets(appointment, chart);
        var outbox = new OutboxService(db, clock);
        var now = clock.GetUtcNow();
        var prefix = SchedulingService.ReminderKeyPrefix(appointment.Id);
        var all = slots.ToList();
        var latestPast = all.Where(s => s.Due < now).GroupBy(s => s.Template).Select(g => g.MaxBy(s => s.Due)!).ToHashSet();
        foreach (var slot in all.Where(s => s.Due >= now || latestPast.Contains(s)))
        {
            var due = slot.Due < now ? now : slot.Due;
            foreach (var (channel, recipient) in targets)
            {
                outbox.Add(new OutboxRequest(prefix + slot.Name + "/" + Tag(channel), channel, recipient, slot.Template, language, parameters, due, appointment.PatientId));
            }

            if (code is not null)
            {
                var row = outbox.Add(new OutboxRequest(prefix + slot.Name + "/" + None, MessageChannel.Email, string.Empty, slot.Template, language, parameters, due, appointment.PatientId));
                row.State = nameof(OutboxState.NotSendable);
                row.LastError = code;
            }
        }
    }

    /// <summary>
    /// After the patient's contact details changed: for every booked appointment still ahead, unsent reminders take the
    /// new address and language; a channel the patient withdrew from (or whose address was removed) is withdrawn; a
    /// channel newly possible is queued for the slots not yet due; and a slot with no channel left is set aside as not
    /// sendable (or taken back from it). Sent, failed and in-flight messages are left as they are. Returns the
    /// appointments touched; the caller saves.
    /// </summary>
    public async Task<int> RequeueAsync(PatientId patient, PatientContact? chart, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var booked = nameof(AppointmentStatus.Booked);
        var appointments = (await db.Appointments.Where(a => a.PatientId == patient && a.Status == booked).ToListAsync(cancellationToken).ConfigureAwait(false))
            .Where(a => a.StartsAt > now)
            .ToList();
        var outbox = new OutboxService(db, clock);
        foreach (var appointment in appointments)
        {
            var prefix = SchedulingService.ReminderKeyPrefix(appointment.Id);
            var rows = await db.Outbox.Where(m => m.Key.StartsWith(prefix)).ToListAsync(cancellationToken).ConfigureAwait(false);
            var (targets, language, code) = Targets(appointment, chart);
            foreach (var slot in rows.GroupBy(r => SlotOf(prefix, r.Key)))
            {
                var first = slot.OrderBy(r => r.DueAtMs).First();
                var slotDue = DateTimeOffset.FromUnixTimeMilliseconds(first.DueAtMs);
                var ahead = slotDue > now;
                foreach (var channel in (MessageChannel[])[MessageChannel.Email, MessageChannel.Text])
                {
                    var row = slot.FirstOrDefault(r => r.Key == prefix + slot.Key + "/" + Tag(channel));
                    var target = targets.FirstOrDefault(t => t.Channel == channel).Recipient;
                    if (target is not null && row is null && ahead)
                    {
                        var parameters = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(first.Parameters) ?? [];
                        outbox.Add(new OutboxRequest(prefix + slot.Key + "/" + Tag(channel), channel, target, first.Template, language, parameters, slotDue, patient));
                    }
                    else if (target is not null && row is not null && (row.State == nameof(OutboxState.Pending) || (ahead && row.State == nameof(OutboxState.Cancelled))))
                    {
                        row.Recipient = target;
                        row.Language = language;
                        row.State = nameof(OutboxState.Pending);
                        row.LastError = null;
                    }
                    else if (target is null && row is not null && row.State == nameof(OutboxState.Pending))
                    {
                        row.State = nameof(OutboxState.Cancelled);
                        row.LastError = code ?? FindingCodes.ReminderNoConsent;
                    }
                }

                var none = slot.FirstOrDefault(r => r.Key == prefix + slot.Key + "/" + None);
                if (code is not null && none is null)
                {
                    var parameters = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(first.Parameters) ?? [];
                    var added = outbox.Add(new OutboxRequest(prefix + slot.Key + "/" + None, MessageChannel.Email, string.Empty, first.Template, language, parameters, slotDue, patient));
                    added.State = nameof(OutboxState.NotSendable);
                    added.LastError = code;
                }
                else if (code is not null && none is not null && none.State is nameof(OutboxState.NotSendable) or nameof(OutboxState.Cancelled))
                {
                    none.State = nameof(OutboxState.NotSendable);
                    none.LastError = code;
                }
                else if (code is null && none is { State: nameof(OutboxState.NotSendable) })
                {
                    none.State = nameof(OutboxState.Cancelled);
                }
            }
        }

        return appointments.Count;
    }

    /// <summary>
    /// Where a booking's reminders go: the booking's own address when staff gave one (with its language), else the
    /// chart's; a channel only with the patient's consent on the chart. The code says why none is left.
    /// </summary>
    internal static (IReadOnlyList<(MessageChannel Channel, string Recipient)> Targets, string Language, string? Code) Targets(AppointmentRecord appointment, PatientContact? chart)
    {
        var overridden = appointment.ReminderEmail is not null || appointment.ReminderPhone is not null;
        var email = overridden ? appointment.ReminderEmail : chart?.Email;
        var phone = overridden ? appointment.ReminderPhone : chart?.MobilePhone;
        var language = overridden ? appointment.Language : chart?.Language ?? appointment.Language;
        var targets = new List<(MessageChannel, string)>();
        if (email is not null && chart?.EmailConsent is { Given: true })
        {
            targets.Add((MessageChannel.Email, email));
        }

        if (phone is not null && chart?.TextConsent is { Given: true })
        {
            targets.Add((MessageChannel.Text, phone));
        }

        var code = targets.Count > 0 ? null : email is null && phone is null ? FindingCodes.ReminderNoAddress : FindingCodes.ReminderNoConsent;
        return (targets, language, code);
    }

    private static string Tag(MessageChannel channel) => channel == MessageChannel.Email ? "email" : "text";

    private static string SlotOf(string prefix, string key)
    {
        var rest = key[prefix.Length..];
        var slash = rest.LastIndexOf('/');
        return slash < 0 ? rest : rest[..slash];
    }
}
