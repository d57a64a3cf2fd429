using System.Text;
using System.Text.Json;
using Dockyard.Registry.Manifests;

namespace Dockyard.Registry.Tests.Manifests;

public sealed class ImageConfigTests
{
    // Shaped like what `docker build` writes (trimmed): runtime settings under "config", history with empty layers.
    private const string DockerConfig = """
        {
          "architecture": "arm64",
          "variant": "v8",
          "os": "linux",
          "created": "2026-11-20T10:15:30.123456789Z",
          "author": "ops@example.com",
          "config": {
            "User": "1000:1000",
            "ExposedPorts": { "8080/tcp": {}, "53/udp": {} },
            "Env": ["PATH=/usr/local/bin:/usr/bin", "MODE=prod"],
            "Entrypoint": ["/bin/busybox"],
            "Cmd": ["echo", "hello from dockyard"],
            "WorkingDir": "/srv",
            "Labels": { "org.opencontainers.image.source": "https://example.com/app", "maintainer": "ops" },
            "Volumes": { "/data": {} }
          },
          "rootfs": { "type": "layers", "diff_ids": ["sha256:aa", "sha256:bb"] },
          "history": [
            { "created": "2026-11-20T10:15:00Z", "created_by": "COPY busybox /bin/busybox # buildkit", "comment": "buildkit.dockerfile.v0" },
            { "created": "2026-11-20T10:15:10Z", "created_by": "ENV MODE=prod", "empty_layer": true },
            { "created": "2026-11-20T10:15:20Z", "created_by": "RUN /bin/busybox --install" },
            { "created": "2026-11-20T10:15:30Z", "created_by": "CMD [\"echo\" \"hello from dockyard\"]", "empty_layer": true }
          ]
        }
        """;

    [Fact]
    public void Parse_DockerConfig_ReadsPlatformAndRuntimeSettings()
    {
        var config = ImageConfig.Parse(Encoding.UTF8.GetBytes(DockerConfig));

        Assert.Equal("linux", config.Os);
        Assert.Equal("arm64", config.Architecture);
        Assert.Equal("v8", config.Variant);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 15, 30, TimeSpan.Zero), config.Created!.Value.AddTicks(-(config.Created.Value.Ticks % TimeSpan.TicksPerSecond)));
        Assert.Equal("ops@example.com", config.Author);
        Assert.Equal(["/bin/busybox"], config.Entrypoint);
        Assert.Equal(["echo", "hello from dockyard"], config.Cmd);
        Assert.Equal(["PATH=/usr/local/bin:/usr/bin", "MODE=prod"], config.Env);
        Assert.Equal("/srv", config.WorkingDir);
        Assert.Equal("1000:1000", config.User);
        Assert.Equal(["53/udp", "8080/tcp"], config.ExposedPorts);
        Assert.Equal(["/data"], config.Volumes);
        Assert.Equal("ops", config.Labels["maintainer"]);
        Assert.Equal(4, config.History.Count);
    }

    [Fact]
    public void HistoryForLayers_SkipsEmptyLayerSteps()
    {
        var config = ImageConfig.Parse(Encoding.UTF8.GetBytes(DockerConfig));

        var steps = config.HistoryForLayers(2);

        Assert.Equal("COPY busybox /bin/busybox # buildkit", steps[0]!.CreatedBy);
        Assert.Equal("RUN /bin/busybox --install", steps[1]!.CreatedBy);
    }

    [Fact]
    public void HistoryForLayers_MoreLayersThanSteps_LeavesTheRestUnknown()
    {
        var config = ImageConfig.Parse("""{"history":[{"created_by":"ADD rootfs.tar /"}]}"""u8);

        var steps = config.HistoryForLayers(3);

        Assert.Equal("ADD rootfs.tar /", steps[0]!.CreatedBy);
        Assert.Null(steps[1]);
        Assert.Null(steps[2]);
    }

    [Fact]
    public void Parse_MinimalOrWeirdConfig_TreatsWrongTypesAsAbsent()
    {
        var config = ImageConfig.Parse("""
            {"os":"linux","architecture":7,"created":"not a time","config":{"Cmd":"echo hi","Entrypoint":null,"Env":[1,"A=b"],"Labels":{"n":3},"ExposedPorts":[]},"history":"x"}
            """u8);

        Assert.Equal("linux", config.Os);
        Assert.Null(config.Architecture);
        Assert.Null(config.Created);
        Assert.Equal(["echo hi"], config.Cmd);
        Assert.Null(config.Entrypoint);
        Assert.Equal(["A=b"], config.Env);
        Assert.Equal("3", config.Labels["n"]);
        Assert.Empty(config.ExposedPorts);
        Assert.Empty(config.History);
    }

    [Fact]
    public void Parse_ContainerConfigOnly_IsUsedWhenConfigIsMissing()
    {
        var config = ImageConfig.Parse("""{"container_config":{"Cmd":["/bin/sh"],"WorkingDir":"/w"}}"""u8);

        Assert.Equal(["/bin/sh"], config.Cmd);
        Assert.Equal("/w", config.WorkingDir);
    }

    [Fact]
    public void Parse_NotAnObject_Throws()
    {
        Assert.ThrowsAny<JsonException>(() => ImageConfig.Parse("[1,2]"u8));
        Assert.ThrowsAny<JsonException>(() => ImageConfig.Parse("{"u8));
    }

    [Fact]
    public void Parse_TooLarge_Throws()
    {
        var huge = new byte[ImageConfig.MaxSize + 1];
        Assert.Throws<JsonException>(() => ImageConfig.Parse(huge));
    }
}
