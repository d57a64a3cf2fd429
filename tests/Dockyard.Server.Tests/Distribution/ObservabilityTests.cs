using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Distribution;

public sealed class ObservabilityTests(DockyardServerFixture fixture) : IClassFixture<DockyardServerFixture>
{
    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Get_HealthEndpoint_Returns200(string path)
    {
        using var http = fixture.Server.CreateClient();

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Get_Metrics_CountsRequestsByRouteMethodStatusAndBytesReceived()
    {
        using var http = fixture.Server.CreateClient();
        var client = new RegistryTestClient(http);
        var repository = RegistryTestClient.UniqueRepository("metrics");
        await client.PushImageAsync(repository, "v1");
        using (var missing = await http.GetAsync($"/v2/{repository}/manifests/nope"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using var response = await http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Matches(new Regex("^dockyard_registry_requests_total\\{(?=[^}]*route=\"manifest\")(?=[^}]*method=\"PUT\")(?=[^}]*status=\"201\")[^}]*\\} [1-9]", RegexOptions.Multiline), text);
        Assert.Matches(new Regex("^dockyard_registry_requests_total\\{(?=[^}]*route=\"manifest\")(?=[^}]*method=\"GET\")(?=[^}]*status=\"404\")[^}]*\\} [1-9]", RegexOptions.Multiline), text);
        Assert.Matches(new Regex("^dockyard_registry_requests_total\\{(?=[^}]*route=\"uploads\")(?=[^}]*method=\"POST\")(?=[^}]*status=\"201\")[^}]*\\} [1-9]", RegexOptions.Multiline), text);
        var bytes = Regex.Match(text, "^dockyard_registry_bytes_received_total ([0-9.e+]+)$", RegexOptions.Multiline);
        Assert.True(bytes.Success, "dockyard_registry_bytes_received_total missing");
        Assert.True(double.Parse(bytes.Groups[1].Value, CultureInfo.InvariantCulture) > 0);
    }
}
