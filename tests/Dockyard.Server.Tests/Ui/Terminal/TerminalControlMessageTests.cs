using System.Text;
using Dockyard.Server.Control.Exec;

namespace Dockyard.Server.Tests.Ui.Terminal;

public sealed class TerminalControlMessageTests
{
    [Theory]
    [InlineData("""{"type":"resize","cols":80,"rows":24}""", 80, 24)]
    [InlineData(""" { "rows": 1, "extra": [1, {"a": 2}], "cols": 1000, "type": "resize" } """, 1000, 1)]
    public void TryParseResize_ValidMessage_ReturnsTheSize(string json, int cols, int rows)
    {
        Assert.True(TerminalControlMessage.TryParseResize(Encoding.UTF8.GetBytes(json), out var c, out var r));
        Assert.Equal((cols, rows), (c, r));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("""{"type":"Resize","cols":80,"rows":24}""")]
    [InlineData("""{"type":"resize","cols":80,"rows":1001}""")]
    [InlineData("""{"type":"resize","cols":-1,"rows":24}""")]
    [InlineData("""{"type":"resize","cols":80.5,"rows":24}""")]
    [InlineData("""{"type":"resize","cols":"80","rows":24}""")]
    [InlineData("""{"type":"resize","cols":80,"rows":24}{}""")]
    [InlineData("""{"type":"resize","cols":80,"rows":24""")]
    public void TryParseResize_InvalidMessage_ReturnsFalse(string json) =>
        Assert.False(TerminalControlMessage.TryParseResize(Encoding.UTF8.GetBytes(json), out _, out _));
}
