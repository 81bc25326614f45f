using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;

namespace KetaCare.Pharmacology.Tests.Simulation;

public class RegimenTests
{
    [Fact]
    public void ParseJson_Course_ReadsEveryAdministration()
    {
        const string json = """
            {"administrations":[
              {"at":"0 min","dose":"0.5 mg/kg over 60 min","route":"iv"},
              {"at":"1 d","dose":"0.75 mg/kg over 60 min"},
              {"at":"2 d","dose":"50 mg","route":"intranasal"}
            ]}
            """;
        var r = Regimen.ParseJson(json).Value;
        Assert.Equal(3, r.Administrations.Count);
        Assert.Equal(1440, r.Administrations[1].Start.Minutes);
        Assert.Equal(Route.Intravenous, r.Administrations[1].Route);
        Assert.Equal(Route.Intranasal, r.Administrations[2].Route);
        Assert.Equal(2, r.Routes.Count);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{}", "\"administrations\"")]
    [InlineData("{\"administrations\":[]}", "empty")]
    [InlineData("{\"administrations\":[{\"at\":\"0 min\"}]}", "administrations[0].dose")]
    [InlineData("{\"administrations\":[{\"dose\":\"0,5 mg/kg\"}]}", "administrations[0].dose")]
    [InlineData("{\"administrations\":[{\"dose\":\"35 mg\"},{\"dose\":\"35 mg\",\"route\":\"ear\"}]}", "administrations[1].route")]
    [InlineData("{\"administrations\":[{\"dose\":\"35 mg\",\"at\":\"-5 min\"}]}", "administrations[0].at")]
    public void ParseJson_BadDocument_NamesTheEntryAndField(string json, string expected)
    {
        var r = Regimen.ParseJson(json);
        Assert.False(r.IsSuccess);
        Assert.Contains(expected, r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Regimen_SortsByStartTime()
    {
        var r = Regimen.ParseJson("""{"administrations":[{"at":"2 h","dose":"10 mg"},{"at":"0 h","dose":"20 mg"}]}""").Value;
        Assert.Equal(0, r.Administrations[0].Start.Minutes);
    }
}
