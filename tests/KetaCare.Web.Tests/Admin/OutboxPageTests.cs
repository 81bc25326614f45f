using KetaCare.Clinic.Messaging;
using KetaCare.Web.Pages.Admin;

namespace KetaCare.Web.Tests.Admin;

/// <summary>The outbox page names every state a message can be in (a state without a label would fail the page).</summary>
public sealed class OutboxPageTests
{
    [Fact]
    public void States_EveryOutboxStateHasAFilterAndALabel() =>
        Assert.Equal(Enum.GetValues<OutboxState>().Order(), OutboxModel.States.Select(s => s.State).Order());
}
