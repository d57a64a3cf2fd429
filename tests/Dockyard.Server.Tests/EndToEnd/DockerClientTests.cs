using Dockyard.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class DockerClientTests : IDisposable
{
    private readonly DockerDaemonFixture _docker;
    private readonly DockyardProcess _server;
    private readonly ITestOutputHelper _output;
    private readonly TempDirectory _work = new("docker-e2e");

    public DockerClientTests(DockerDaemonFixture docker, DockyardProcessFixture server, ITestOutputHelper output)
    {
        _docker = docker;
        _server = server.Server;
        _output = output;
        _output.WriteLine($"dockerd pid {docker.DaemonPid}, storage driver {docker.StorageDriver}, ready in {docker.StartupTime.TotalSeconds:0.00} s");
        _output.WriteLine($"dockyard at {_server.BaseAddress} (pid {_server.Pid})");
    }

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Push_remove_pull_and_run_roundtrips_the_image()
    {
        var local = $"dockyard-e2e/busybox:{Guid.NewGuid():N}";
        var imageId = await TestImages.BuildBusyboxImageAsync(_docker, local, _work.Path);
        var remote = $"{_server.RegistryHost}/e2e/busybox:1.0";

        await Docker("tag", local, remote);
        var pushDigest = TestImages.PushedDigest(await Docker("push", remote));

        await Docker("rmi", local, remote);
        var gone = await _docker.RunDockerUncheckedAsync("image", "inspect", imageId);
        Assert.True(gone.ExitCode != 0, $"image {imageId} should be gone locally before the pull{Environment.NewLine}{gone.Describe()}");

        await Docker("pull", remote);
        var repoDigest = (await Docker("inspect", "--format", "{{index .RepoDigests 0}}", remote)).StandardOutput.Trim();
        Assert.Equal($"{_server.RegistryHost}/e2e/busybox@{pushDigest}", repoDigest);

        var run = await Docker("run", "--rm", "--network", "none", remote);
        Assert.Equal(TestImages.BusyboxGreeting, run.StandardOutput.Trim());

        await Docker("rmi", remote);
    }

    [Fact]
    public async Task Second_tag_second_repository_and_pull_by_digest()
    {
        var local = $"dockyard-e2e/busybox:{Guid.NewGuid():N}";
        await TestImages.BuildBusyboxImageAsync(_docker, local, _work.Path);
        var first = $"{_server.RegistryHost}/e2e/busybox:1.0";
        var secondTag = $"{_server.RegistryHost}/e2e/busybox:1.1";
        var otherRepo = $"{_server.RegistryHost}/e2e/other:1.0";

        await Docker("tag", local, first);
        await Docker("tag", local, secondTag);
        await Docker("tag", local, otherRepo);
        var firstDigest = TestImages.PushedDigest(await Docker("push", first));

        // Same repository, new tag: the layer must be found by a blob existence check, not uploaded again.
        var secondPush = await Docker("push", secondTag);
        Assert.Contains("Layer already exists", secondPush.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(firstDigest, TestImages.PushedDigest(secondPush));

        // Another repository: docker tries a cross-repository mount (POST ?mount=&from=); a registry may
        // answer 201 (mounted) or fall back to 202 (upload), both are valid per the distribution spec.
        var otherPush = await Docker("push", otherRepo);
        _output.WriteLine(otherPush.StandardOutput);
        Assert.Equal(firstDigest, TestImages.PushedDigest(otherPush));
        Assert.Matches("Mounted from e2e/busybox|Layer already exists|Pushed", otherPush.StandardOutput);

        await Docker("rmi", local, first, secondTag, otherRepo);

        var byDigest = $"{_server.RegistryHost}/e2e/other@{firstDigest}";
        await Docker("pull", byDigest);
        var run = await Docker("run", "--rm", "--network", "none", byDigest);
        Assert.Equal(TestImages.BusyboxGreeting, run.StandardOutput.Trim());

        var pulledTag = $"{_server.RegistryHost}/e2e/busybox:1.1";
        await Docker("pull", pulledTag);
        var repoDigests = (await Docker("inspect", "--format", "{{join .RepoDigests \" \"}}", pulledTag)).StandardOutput;
        Assert.Contains($"{_server.RegistryHost}/e2e/busybox@{firstDigest}", repoDigests, StringComparison.Ordinal);

        await Docker("rmi", byDigest, pulledTag);
    }

    private async Task<ProcessResult> Docker(params string[] args)
    {
        var result = await _server.WithOutputOnFailureAsync(_docker.RunDockerAsync(args));
        _output.WriteLine($"$ docker {string.Join(' ', args)}{Environment.NewLine}{result.StandardOutput.TrimEnd()}");
        return result;
    }

}
