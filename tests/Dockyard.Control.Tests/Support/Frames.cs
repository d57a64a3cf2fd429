using System.Buffers.Binary;
using System.Text;

namespace Dockyard.Control.Tests.Support;

/// <summary>Builds the engine's multiplexed stream: <c>[type,0,0,0,size BE]</c> + payload per frame.</summary>
internal static class Frames
{
    public static byte[] Frame(byte type, string payload) => Frame(type, Encoding.UTF8.GetBytes(payload));

    public static byte[] Frame(byte type, byte[] payload)
    {
        var frame = new byte[8 + payload.Length];
        frame[0] = type;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
