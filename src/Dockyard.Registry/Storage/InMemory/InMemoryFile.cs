namespace Dockyard.Registry.Storage.InMemory;

/// <summary>
/// The bytes of one in-memory file. Like an inode: a move rebinds the path, writers keep appending to this object.
/// </summary>
/// <remarks>
/// Bytes below <see cref="Length"/> are never changed in place (appends go beyond it, growth copies to a
/// new array), so a reader can keep a (buffer, length) snapshot without copying. Guarded by the driver's lock.
/// </remarks>
internal sealed class InMemoryFile(DateTimeOffset modifiedAt)
{
    private byte[] _buffer = [];

    public int Length { get; private set; }

    public DateTimeOffset ModifiedAt { get; private set; } = modifiedAt;

    public static InMemoryFile FromContent(ReadOnlySpan<byte> content, DateTimeOffset modifiedAt)
    {
        var file = new InMemoryFile(modifiedAt);
        file.Append(content, modifiedAt);
        return file;
    }

    public void Append(ReadOnlySpan<byte> data, DateTimeOffset modifiedAt)
    {
        if (data.Length > _buffer.Length - Length)
        {
            // Int32 lengths: a test driver has no business holding 2 GiB.
            var capacity = Math.Max(checked(Length + data.Length), Math.Min(Array.MaxLength, Math.Max(256, _buffer.Length * 2)));
            var grown = new byte[capacity];
            _buffer.AsSpan(0, Length).CopyTo(grown);
            _buffer = grown;
        }

        data.CopyTo(_buffer.AsSpan(Length));
        Length += data.Length;
        ModifiedAt = modifiedAt;
    }

    /// <summary>A read-only view of the current bytes that later appends cannot change.</summary>
    public MemoryStream OpenSnapshot() => new(_buffer, 0, Length, writable: false, publiclyVisible: false);

    public byte[] ToArray() => _buffer.AsSpan(0, Length).ToArray();
}
