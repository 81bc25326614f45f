namespace KetaCare.Interop.Tests;

public sealed class InteropInfoTests
{
    [Fact]
    public void SystemBase_IsAnAbsoluteHttpsUri() =>
        Assert.True(Uri.TryCreate(InteropInfo.SystemBase, UriKind.Absolute, out var uri) && uri.Scheme == "https");
}
