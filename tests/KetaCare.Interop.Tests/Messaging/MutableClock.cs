namespace KetaCare.Interop.Tests.Messaging;

/// <summary>A clock the test moves (due times, claim lapses and retry delays are read from it).</summary>
internal sealed class MutableClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
