using Dockyard.Control.Compose;

namespace Dockyard.Control.Tests.Compose;

/// <summary>Refusals name the file, line and column of the fault and what was expected.</summary>
public sealed class ComposeErrorTests
{
    private static ComposeException Refused(string text, Dictionary<string, string>? environment = null) =>
        Assert.Throws<ComposeException>(() => ComposeLoaderTests.Load(text, environment));

    [Fact]
    public void WrongType_IsReportedAtItsLineAndColumn()
    {
        var e = Refused("""
            services:
              web:
                image: busybox
                deploy:
                  mode: replicated
                  replicas: many
            """);

        Assert.Equal(("compose.yml", 6, 17), (e.File, e.Line, e.Column));
        Assert.Equal("services.web.deploy.replicas: a non-negative integer expected, not 'many'", e.Reason);
        Assert.Equal("compose.yml:6:17: services.web.deploy.replicas: a non-negative integer expected, not 'many'", e.Message);
    }

    [Fact]
    public void UnknownEnumValue_NamesTheAllowedValues()
    {
        var e = Refused("""
            services:
              web:
                image: busybox
                deploy:
                  update_config:
                    order: sideways
            """);

        Assert.Equal((6, 16), (e.Line, e.Column));
        Assert.Equal("services.web.deploy.update_config.order: one of stop-first, start-first expected, not 'sideways'", e.Reason);
    }

    [Fact]
    public void InvalidYaml_IsReportedWhereTheParserStopped()
    {
        var e = Refused("""
            services:
              web:
                image: "busybox
                command: sleep 1
            """);

        Assert.Equal("compose.yml", e.File);
        Assert.True(e.Line >= 3, e.Message);
        Assert.DoesNotContain("(Line:", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateKey_IsRefusedAtTheSecondKey()
    {
        var e = Refused("""
            services:
              web:
                image: a
                image: b
            """);

        Assert.Equal((4, 5, "duplicate key 'image'"), (e.Line, e.Column, e.Reason));
    }

    [Fact]
    public void ServiceWithoutImage_IsRefusedAtTheServiceKey()
    {
        var e = Refused("""
            services:
              web:
                image: busybox
              worker:
                build: .
            """);

        Assert.Equal((4, 3), (e.Line, e.Column));
        Assert.Equal("services.worker: image expected (Dockyard deploys images; build is not supported)", e.Reason);
    }

    [Fact]
    public void MissingRequiredVariable_IsRefusedAtTheScalarWithItsText()
    {
        var e = Refused("""
            services:
              db:
                image: postgres
                environment:
                  POSTGRES_PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD in the stack environment}
            """);

        Assert.Equal((5, 26), (e.Line, e.Column));
        Assert.Equal("required variable DB_PASSWORD is missing a value: set DB_PASSWORD in the stack environment", e.Reason);
    }

    [Fact]
    public void MissingAttachment_IsRefusedAtTheFileKey()
    {
        var e = Refused("""
            services:
              web:
                image: busybox
                secrets: [db_password]
            secrets:
              db_password:
                file: ./db_password.txt
            """);

        Assert.Equal((7, 11), (e.Line, e.Column));
        Assert.Equal("secrets.db_password.file: ./db_password.txt was not provided with the deploy (attach it)", e.Reason);
    }

    [Fact]
    public void UndefinedSecret_IsRefused()
    {
        var e = Refused("""
            services:
              web:
                image: busybox
                secrets:
                  - nope
            """);

        Assert.Equal((5, 7), (e.Line, e.Column));
        Assert.Equal("services.web.secrets: undefined secret 'nope' (declare it under the top-level secrets:)", e.Reason);
    }

    [Fact]
    public void RelativeBindSource_IsRefused()
    {
        var e = Refused("""
            services:
              web:
                image: busybox
                volumes: ["./html:/www"]
            """);

        Assert.Equal((4, 15), (e.Line, e.Column));
        Assert.Equal("services.web.volumes[0]: a bind source must be an absolute path on the node, not './html'", e.Reason);
    }
}
