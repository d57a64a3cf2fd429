using System.IO.Pipelines;
using System.Net;
using System.Text;
using Dockyard.Control.Exec;
using Dockyard.Control.Tests.Support;

namespace Dockyard.Control.Tests.Exec;

public sealed class ExecClientTests
{
    private const string MissingBash =
        "OCI runtime exec failed: exec failed: unable to start container process: exec: \"/bin/bash\": stat /bin/bash: no such file or directory: unknown\r\n";

    [Fact]
    public async Task Start_SendsUpgradeWithContentLengthBody()
    {
        var handler = new CannedEngine(_ => Upgraded(Encoding.UTF8.GetBytes("/ # ")));
        using var engine = handler.Client();

        await using var session = await new ExecClient(engine).StartAsync("e1", tty: true);

        var request = handler.Requests[0];
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/v1.41/exec/e1/start", request.RequestUri!.AbsolutePath);
        Assert.Contains("Upgrade", request.Headers.Connection);
        Assert.Equal("tcp", Assert.Single(request.Headers.Upgrade).Name);
        Assert.Equal("""{"Detach":false,"Tty":true}""", Encoding.UTF8.GetString(handler.Bodies[0]!));
        Assert.Equal(handler.Bodies[0]!.Length, request.Content!.Headers.ContentLength);

        // The bytes read while confirming the start are not lost.
        var buffer = new byte[16];
        Assert.Equal("/ # ", Encoding.UTF8.GetString(buffer, 0, await session.Stream.ReadAsync(buffer)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Start_MissingExecutable_ThrowsTypedException(bool tty)
    {
        var text = Encoding.UTF8.GetBytes(MissingBash);
        var handler = new CannedEngine(_ => Upgraded(tty ? text : Frames.Frame(1, text), chunk: 5));
        using var engine = handler.Client();

        var ex = await Assert.ThrowsAsync<ExecStartFailedException>(() => new ExecClient(engine).StartAsync("e1", tty));

        Assert.True(ex.ExecutableNotFound);
        Assert.Equal("/bin/bash", ex.MissingExecutable);
        Assert.Equal(MissingBash.Trim(), ex.EngineMessage);
    }

    [Theory]
    [InlineData("OCI runtime exec failed: exec failed: container_linux.go:380: starting container process caused: exec: \"bash\": executable file not found in $PATH: unknown", "bash")]
    [InlineData("OCI runtime exec failed: exec failed: unable to start container process: chdir to cwd (\"/nope\") set in config.json failed: no such file or directory: unknown", null)]
    public void FailureMessage_NamesMissingExecutableOnlyWhenThatIsTheCause(string message, string? missing)
    {
        Assert.Equal((message, missing), ExecFailureMessage.Parse(Encoding.UTF8.GetBytes(message + "\r\n")));
    }

    [Fact]
    public async Task Start_OutputResemblingOnlyTheStartOfTheFailure_IsPassedThrough()
    {
        var handler = new CannedEngine(_ => Upgraded(Encoding.UTF8.GetBytes("OCI runtime? no, my own output\n"), chunk: 2));
        using var engine = handler.Client();

        await using var session = await new ExecClient(engine).StartAsync("e1", tty: true);

        using var reader = new StreamReader(session.Stream);
        Assert.Equal("OCI runtime? no, my own output\n", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task Start_FirstOutputIsAPrefixOfTheFailureTextThenSilence_StartConfirmedByPid()
    {
        // A prompt "O" that waits for input: too short to tell from the engine's failure text, so the PID decides.
        var output = new Pipe();
        await output.Writer.WriteAsync("O"u8.ToArray());
        var handler = new CannedEngine(request => request.RequestUri!.AbsolutePath.EndsWith("/json", StringComparison.Ordinal)
            ? CannedEngine.Answer(HttpStatusCode.OK, """{"ID":"e1","Running":true,"ExitCode":null,"Pid":4242}"""u8.ToArray())
            : CannedEngine.Answer(HttpStatusCode.SwitchingProtocols, output.Reader.AsStream()));
        using var engine = handler.Client();

        await using var session = await new ExecClient(engine).StartAsync("e1", tty: true).WaitAsync(TimeSpan.FromSeconds(10));

        var buffer = new byte[16];
        Assert.Equal("O", Encoding.UTF8.GetString(buffer, 0, await session.Stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5))));
        await output.Writer.WriteAsync("K> "u8.ToArray());
        Assert.Equal("K> ", Encoding.UTF8.GetString(buffer, 0, await session.Stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5))));
        await output.Writer.CompleteAsync();
    }

    private static HttpResponseMessage Upgraded(byte[] output, int chunk = 4096) =>
        CannedEngine.Answer(HttpStatusCode.SwitchingProtocols, new ChunkedStream(output, chunk));
}
