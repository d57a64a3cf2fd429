using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Audit;

/// <summary>
/// The hash chain. <c>hash(n) = SHA-256(hash(n-1) ‖ canonical(n))</c>, with <c>hash(0)</c> = 32 zero bytes (or the
/// hash a checkpoint carries for pruned entries). The canonical form is the concatenation, in this fixed order, of
/// id, time (UTC ticks), actor_kind, actor_name, actor_id, auth_method, source_ip, user_agent, action, repository,
/// reference, digest, resource, organization, outcome, reason, request_id, details — each field as a 4-byte
/// big-endian length followed by its UTF-8 bytes (numbers in invariant decimal), or the length 0xFFFFFFFF for
/// null. Length prefixes make the encoding unambiguous without any JSON escaping rules.
/// </summary>
internal static class AuditChain
{
    public const int HashSize = 32;

    public static readonly byte[] Genesis = new byte[HashSize];

    public static byte[] Canonical(AuditEntryEntity entry) => Write(new ArrayBufferWriterLite(), entry).ToArray();

    [ThreadStatic]
    private static ArrayBufferWriterLite? _scratch;

    public static byte[] Hash(ReadOnlySpan<byte> previous, AuditEntryEntity entry)
    {
        // previous ‖ canonical in one reused buffer, hashed in one call: no hash object or buffer per entry.
        var buffer = _scratch ??= new ArrayBufferWriterLite();
        buffer.Reset();
        buffer.Raw(previous);
        return SHA256.HashData(Write(buffer, entry).Span);
    }

    private static ArrayBufferWriterLite Write(ArrayBufferWriterLite buffer, AuditEntryEntity entry)
    {
        buffer.Field(entry.Id);
        buffer.Field(entry.Time.UtcTicks);
        buffer.Field(entry.ActorKind);
        buffer.Field(entry.ActorName);
        buffer.Field(entry.ActorId);
        buffer.Field(entry.AuthMethod);
        buffer.Field(entry.SourceIp);
        buffer.Field(entry.UserAgent);
        buffer.Field(entry.Action);
        buffer.Field(entry.Repository);
        buffer.Field(entry.Reference);
        buffer.Field(entry.Digest);
        buffer.Field(entry.Resource);
        buffer.Field(entry.Organization);
        buffer.Field(entry.Outcome);
        buffer.Field(entry.Reason);
        buffer.Field(entry.RequestId);
        buffer.Field(entry.Details);
        return buffer;
    }

    public static string ToHex(byte[] hash) => Convert.ToHexStringLower(hash);

    /// <summary>Parses a stored hash; false for anything but 64 hex digits.</summary>
    public static bool TryParse(string? hex, out byte[] hash)
    {
        hash = [];
        if (hex is not { Length: HashSize * 2 })
        {
            return false;
        }

        try
        {
            hash = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Just enough of a growable buffer for the canonical form.</summary>
    private sealed class ArrayBufferWriterLite
    {
        private byte[] _buffer = new byte[512];
        private int _length;

        public void Field(string? value)
        {
            if (value is null)
            {
                Ensure(4);
                BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_length), uint.MaxValue);
                _length += 4;
                return;
            }

            var size = Encoding.UTF8.GetByteCount(value);
            Ensure(4 + size);
            BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_length), (uint)size);
            _length += 4;
            _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
        }

        /// <summary>A number as its invariant decimal text (what <c>ToString(InvariantCulture)</c> gives), without the string.</summary>
        public void Field(long? value)
        {
            if (value is not { } number)
            {
                Field((string?)null);
                return;
            }

            Ensure(4 + 20);
            number.TryFormat(_buffer.AsSpan(_length + 4), out var size, default, CultureInfo.InvariantCulture);
            BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_length), (uint)size);
            _length += 4 + size;
        }

        public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

        public void Reset() => _length = 0;

        public byte[] ToArray() => Span.ToArray();

        public void Raw(ReadOnlySpan<byte> bytes)
        {
            Ensure(bytes.Length);
            bytes.CopyTo(_buffer.AsSpan(_length));
            _length += bytes.Length;
        }

        private void Ensure(int extra)
        {
            if (_length + extra > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + extra));
            }
        }
    }
}
