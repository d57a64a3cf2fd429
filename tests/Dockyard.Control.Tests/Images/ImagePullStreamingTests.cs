using System.IO.Pipelines;
using System.Net;
using System.Text;
using Dockyard.Control.Engines;
using Dockyard.Control.Images;

namespace Dockyard.Control.Tests.Images;

/// <summary>The pull yields each progress message as soon as the engine has sent it, not when the stream ends.</summary>
public sealed class ImagePullStreamingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Pull_YieldsEachMessageBeforeTheStreamEnds_ThenFailsOnAnErrorMessage()
    {
        var pipe = new Pipe();
        using var client = new EngineClient(new EngineEndpoint("live", new Uri("unix:///run/test.sock")), new PipeHandler(pipe.Reader));
        await using var pull = new ImageClient(client).PullAsync("x", "1", null, CancellationToken.None).GetAsyncEnumerator();

        await WriteAsync(pipe.Writer, "{\"status\":\"Pulling from x\"}\r\n");
        Assert.True(await pull.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal("Pulling from x", pull.Current.Status);

        await WriteAsync(pipe.Writer, "{\"status\":\"Downloading\",\"id\":\"l1\"}\r\n");
        Assert.True(await pull.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal("l1", pull.Current.Id);

        await WriteAsync(pipe.Writer, "{\"errorDetail\":{\"message\":\"write /var/lib/docker: no space left on device\"}}\r\n");
        var ex = await Assert.ThrowsAsync<EngineApiException>(() => pull.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal("engine live: write /var/lib/docker: no space left on device", ex.Message);
        await pipe.Writer.CompleteAsync();
    }

    private static async Task WriteAsync(PipeWriter writer, string text)
    {
        await writer.WriteAsync(Encoding.UTF8.GetBytes(text));
        await writer.FlushAsync();
    }

    /// <summary>Answers 200 with a body the test writes piece by piece.</summary>
    private sealed class PipeHandler(PipeReader body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body.AsStream()) });
    }
}
