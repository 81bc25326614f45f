using System.Globalization;
using KetaCare.Clinic.Messaging;
using KetaCare.Clinic.Services;

namespace KetaCare.Clinic.Portal;

/// <summary>
/// Sends portal invitations by e-mail through the outbox (template <see cref="MessageTemplates.PortalInvitation"/>), so
/// that they are retried like every other message and go out through the configured SMTP server. An invitation without
/// an e-mail address is not sent (staff hand the link over). The link is a parameter of the outbox row only until the
/// message is sent, failed or withdrawn (<see cref="MessageTemplates.WithSecrets"/>); the audit line names the queued
/// message, never the link. One instance per unit of work.
/// </summary>
/// <param name="outbox">The outbox on the invitation's context.</param>
/// <param name="clock">The clock (the message is due at once).</param>
public sealed class OutboxPatientMessages(OutboxService outbox, TimeProvider clock) : IPatientMessages
{
    /// <summary>The outbox key of an invitation: one message per link (a new link is a new message).</summary>
    public static string Key(PatientId patient, DateTimeOffset expiresAt) =>
        string.Create(CultureInfo.InvariantCulture, $"portal-invitation/{patient}/{expiresAt.UtcTicks}");

    /// <inheritdoc/>
    public async Task<PatientMessageResult> SendInvitationAsync(PortalInvitationMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Email is null)
        {
            return PatientMessageResult.NoSender with { Detail = "no e-mail address given; the link is shown to staff to hand over" };
        }

        var expires = message.ExpiresAt.ToUniversalTime();
        var parameters = new Dictionary<string, string>
        {
            ["user"] = message.UserName,
            ["link"] = message.Link.ToString(),
            ["date"] = expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["time"] = expires.ToString("HH:mm", CultureInfo.InvariantCulture),
        };
        var queued = await outbox.QueueAsync(new OutboxRequest(Key(message.Patient, message.ExpiresAt), MessageChannel.Email, message.Email, MessageTemplates.PortalInvitation, message.Language, parameters, clock.GetUtcNow(), message.Patient), cancellationToken).ConfigureAwait(false);
        return queued.IsSuccess
            ? new PatientMessageResult(true, "e-mail", $"queued in the outbox as {queued.Value.MessageId}")
            : new PatientMessageResult(false, "e-mail", "not queued: " + queued.Error);
    }
}
