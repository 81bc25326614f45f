namespace KetaCare.Clinic.Messaging;

/// <summary>How a message reaches its recipient.</summary>
public enum MessageChannel
{
    /// <summary>E-mail over SMTP.</summary>
    Email,

    /// <summary>A text message (SMS) through the configured gateway.</summary>
    Text,
}

/// <summary>Where a message of the outbox stands.</summary>
public enum OutboxState
{
    /// <summary>Waiting for its due time (also after a failed attempt that will be retried).</summary>
    Pending,

    /// <summary>Claimed by a sender; back to due when the claim lapses without a result.</summary>
    Sending,

    /// <summary>Accepted by the channel (the SMTP server, the text gateway).</summary>
    Sent,

    /// <summary>Given up after the last allowed attempt; the last error says why.</summary>
    Failed,

    /// <summary>Withdrawn before it was sent (its appointment was cancelled).</summary>
    Cancelled,

    /// <summary>No gateway is configured for its channel; kept so that an operator sees what was not sent.</summary>
    NotConfigured,

    /// <summary>
    /// A reminder with nowhere to go: the chart has no address, or the patient has not agreed to reminders by any channel
    /// with one. Never sent; the last error holds the reason's code (<c>reminder.*</c>), shown on the booking.
    /// </summary>
    NotSendable,
}

/// <summary>The message templates; each has an English and a Turkish text.</summary>
public static class MessageTemplates
{
    /// <summary>"Your infusion is on {date} at {time}…". Parameters: date (yyyy-MM-dd), time (HH:mm), clinic, phone, chair (its name; absent in reminders queued before it was added).</summary>
    public const string AppointmentReminder = "appointment-reminder";

    /// <summary>"Please answer the pre-visit checklist…". Parameters: date, time, clinic, link (path of the patient portal).</summary>
    public const string ChecklistReminder = "checklist-reminder";

    /// <summary>"You are invited to the patient portal…". Parameters: user (sign-in name), link (the one-time accept link: a secret), date and time (UTC) of its expiry.</summary>
    public const string PortalInvitation = "portal-invitation";

    /// <summary>Every template id.</summary>
    public static IReadOnlyList<string> All { get; } = [AppointmentReminder, ChecklistReminder, PortalInvitation];

    /// <summary>
    /// Templates whose parameters carry a secret (the invitation's password-setting link): the outbox keeps their
    /// parameters only while the message may still be sent, and empties them once it is sent, failed, set aside or withdrawn.
    /// </summary>
    public static IReadOnlyList<string> WithSecrets { get; } = [PortalInvitation];

    /// <summary>Languages the templates are written in.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["en", "tr"];
}

/// <summary>A message to queue.</summary>
/// <param name="Key">Unique key of what it is for: queuing the same key again queues nothing more.</param>
/// <param name="Channel">E-mail or text.</param>
/// <param name="Recipient">Address or number.</param>
/// <param name="Template">One of <see cref="MessageTemplates"/>.</param>
/// <param name="Language">"en" or "tr".</param>
/// <param name="Parameters">The template's parameters.</param>
/// <param name="DueAt">Not to be sent before (UTC).</param>
/// <param name="Patient">The patient it concerns, or default.</param>
public sealed record OutboxRequest(string Key, MessageChannel Channel, string Recipient, string Template, string Language, IReadOnlyDictionary<string, string> Parameters, DateTimeOffset DueAt, PatientId Patient = default);

/// <summary>A message of the outbox as a sender reads it.</summary>
/// <param name="Id">Row id.</param>
/// <param name="Key">Unique key.</param>
/// <param name="MessageId">The Message-Id every attempt carries.</param>
/// <param name="Channel">E-mail or text.</param>
/// <param name="Recipient">Address or number.</param>
/// <param name="Template">Template id.</param>
/// <param name="Language">"en" or "tr".</param>
/// <param name="Parameters">The template's parameters.</param>
/// <param name="State">Where it stands.</param>
/// <param name="DueAt">Due (UTC).</param>
/// <param name="Attempts">Attempts so far.</param>
/// <param name="LastError">The last failure.</param>
/// <param name="SentAt">When accepted by the channel.</param>
public sealed record OutboxMessage(Guid Id, string Key, string MessageId, MessageChannel Channel, string Recipient, string Template, string Language, IReadOnlyDictionary<string, string> Parameters, OutboxState State, DateTimeOffset DueAt, int Attempts, string? LastError, DateTimeOffset? SentAt);

/// <summary>A message's text in its language.</summary>
/// <param name="Subject">Subject line (e-mail); empty for a text message.</param>
/// <param name="Body">Plain-text body.</param>
public sealed record RenderedMessage(string Subject, string Body);

/// <summary>Turns a template, language and parameters into text (the localised texts live outside the clinic layer).</summary>
public interface IMessageRenderer
{
    /// <summary>The message's subject and body; throws <see cref="KeyNotFoundException"/> for an unknown template.</summary>
    RenderedMessage Render(string template, string language, IReadOnlyDictionary<string, string> parameters);
}

/// <summary>Delivers messages of one channel. Throws on failure (the sender retries); <see cref="ChannelNotConfiguredException"/> when it cannot send at all.</summary>
public interface IMessageChannel
{
    /// <summary>The channel served.</summary>
    MessageChannel Channel { get; }

    /// <summary>Hands the message to the server or gateway; returns when it has accepted it.</summary>
    /// <param name="message">The outbox row (recipient, Message-Id).</param>
    /// <param name="text">Its rendered text.</param>
    /// <param name="cancellationToken">Cancels the attempt (the message is then retried).</param>
    Task SendAsync(OutboxMessage message, RenderedMessage text, CancellationToken cancellationToken);
}

/// <summary>The channel has no gateway configured; the message is set aside as <see cref="OutboxState.NotConfigured"/> instead of retried.</summary>
public sealed class ChannelNotConfiguredException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public ChannelNotConfiguredException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    public ChannelNotConfiguredException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public ChannelNotConfiguredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The text-message channel when no provider is configured: KetaCare ships no SMS provider, so every text message is
/// set aside as <see cref="OutboxState.NotConfigured"/> in the outbox, where an operator sees what would have been sent.
/// A clinic with a gateway registers its own <see cref="IMessageChannel"/> for <see cref="MessageChannel.Text"/>.
/// </summary>
public sealed class NotConfiguredTextGateway : IMessageChannel
{
    /// <inheritdoc/>
    public MessageChannel Channel => MessageChannel.Text;

    /// <inheritdoc/>
    public Task SendAsync(OutboxMessage message, RenderedMessage text, CancellationToken cancellationToken) =>
        throw new ChannelNotConfiguredException("no text-message gateway is configured; the message stays in the outbox as not-configured.");
}

/// <summary>How the sender retries. Defaults: claims lapse after 5 min; retries after 1, 2, 4… min, at most 1 h apart; 8 attempts.</summary>
public sealed record OutboxOptions
{
    /// <summary>How long a claim holds a message; a sender that died holding it leaves the message due again after this.</summary>
    public TimeSpan ClaimDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Wait after the first failed attempt; doubled after each further one.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait between attempts.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Attempts before the message is given up as failed.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>Messages one pass sends at most.</summary>
    public int BatchSize { get; init; } = 50;

    /// <summary>The wait before attempt <paramref name="attemptsMade"/> + 1: first delay × 2^(attempts − 1), capped.</summary>
    public TimeSpan RetryDelay(int attemptsMade)
    {
        var doublings = Math.Clamp(attemptsMade - 1, 0, 30);
        var delay = FirstRetryDelay * Math.Pow(2, doublings);
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }
}
