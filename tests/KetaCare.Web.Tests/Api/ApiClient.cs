using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KetaCare.Web.Tests.Api;

/// <summary>Calls to /api/v1 the way an API client makes them: the sign-in cookie, and the antiforgery header on POSTs.</summary>
internal static class ApiClient
{
    /// <summary>POSTs JSON with the antiforgery token read from GET /api/v1/antiforgery.</summary>
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json, bool antiforgery = true) =>
        client.SendJsonAsync(HttpMethod.Post, path, json, antiforgery);

    /// <summary>PUTs JSON with the antiforgery token, like <see cref="PostJsonAsync"/>.</summary>
    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string path, string json, bool antiforgery = true) =>
        client.SendJsonAsync(HttpMethod.Put, path, json, antiforgery);

    private static async Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string path, string json, bool antiforgery)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (antiforgery)
        {
            var token = await client.GetJsonAsync("/api/v1/antiforgery");
            request.Headers.Add(token["headerName"]!.GetValue<string>(), token["requestToken"]!.GetValue<string>());
        }

        return await client.SendAsync(request);
    }

    /// <summary>GETs a JSON document; fails the test on any status but 200.</summary>
    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>The response body as JSON.</summary>
    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    /// <summary>Asserts an RFC 7807 problem with the status, and returns it.</summary>
    public static async Task<JsonNode> ProblemAsync(this HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal(new MediaTypeHeaderValue("application/problem+json").MediaType, response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        return problem;
    }

    /// <summary>The messages of a validation problem for one field.</summary>
    public static IReadOnlyList<string> Errors(this JsonNode problem, string field) =>
        problem["errors"]?[field]?.AsArray().Select(e => e!.GetValue<string>()).ToList() ?? [];

    /// <summary>The codes of a coded refusal's findings (the <c>findings</c> extension), in order.</summary>
    public static IReadOnlyList<string> Codes(this JsonNode problem) =>
        problem["findings"]?.AsArray().Select(f => f!["code"]!.GetValue<string>()).ToList() ?? [];

    /// <summary>A JSON string literal.</summary>
    public static string Quote(string text) => JsonSerializer.Serialize(text);
}
