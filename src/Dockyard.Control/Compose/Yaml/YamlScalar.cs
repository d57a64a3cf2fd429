namespace Dockyard.Control.Compose.Yaml;

/// <summary>A scalar; <see cref="Plain"/> when unquoted and untagged, i.e. when <c>null</c>, <c>true</c> or <c>12</c> mean what they say.</summary>
internal sealed record YamlScalar(string File, int Line, int Column, string Value, bool Plain) : YamlNode(File, Line, Column)
{
    public override long Size => 1;

    public override string Kind => IsNull ? "null" : "a scalar";

    public bool IsNull => Plain && Value is "" or "~" or "null" or "Null" or "NULL";
}
