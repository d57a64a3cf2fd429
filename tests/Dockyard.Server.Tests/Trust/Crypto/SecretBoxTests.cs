using Dockyard.Server.Trust.Crypto;

namespace Dockyard.Server.Tests.Trust.Crypto;

/// <summary>Published vectors: NaCl's crypto_secretbox test (tests/secretbox.c, the "firstkey" box) and Go x/crypto's TestSecretBox.</summary>
public sealed class SecretBoxTests
{
    private const string NaclKey = "1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389";
    private const string NaclNonce = "69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37";
    private const string NaclMessage =
        "be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf33bd751a1ac728d45e6c61296cdc3c01233561f41db66cce314adb31"
        + "0e3be8250c46f06dceea3a7fa1348057e2f6556ad6b1318a024a838f21af1fde048977eb48f59ffd4924ca1c60902e52f0a089bc76897040e082f937763848645e0705";
    private const string NaclBox =
        "f3ffc7703f9400e52a7dfb4b3d3305d98e993b9f48681273c29650ba32fc76ce48332ea7164d96a4476fb8c531a1186ac0dfc17c98dce87b4da7f011ec48c972"
        + "71d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab932164548e526ae90224368517acfeabd6bb3732bc0e9da99832b61ca01b6de56244a9e88d5f9b3"
        + "7973f622a43d14a6599b1f654cb45a74e355a5";

    private const string GoBox =
        "8442bc313f4626f1359e3b50122b6ce6fe66ddfe7d39d14e637eb4fd5b45beadab55198df6ab5368439792a23c87db70acb6156dc5ef957ac04f6276cf6093b8"
        + "4be77ff0849cc33e34b7254d5a8f65ad";

    [Fact]
    public void Seal_matches_the_NaCl_vector_and_Open_reverses_it()
    {
        var key = Convert.FromHexString(NaclKey);
        var nonce = Convert.FromHexString(NaclNonce);
        var message = Convert.FromHexString(NaclMessage);

        Assert.Equal(NaclBox, Convert.ToHexStringLower(SecretBox.Seal(message, nonce, key)));
        Assert.Equal(message, SecretBox.Open(Convert.FromHexString(NaclBox), nonce, key));
    }

    [Fact]
    public void Seal_matches_the_Go_x_crypto_vector()
    {
        var key = Enumerable.Repeat((byte)1, 32).ToArray();
        var nonce = Enumerable.Repeat((byte)2, 24).ToArray();
        var message = Enumerable.Repeat((byte)3, 64).ToArray();

        Assert.Equal(GoBox, Convert.ToHexStringLower(SecretBox.Seal(message, nonce, key)));
        Assert.Equal(message, SecretBox.Open(Convert.FromHexString(GoBox), nonce, key));
    }

    [Fact]
    public void Open_refuses_any_altered_byte_a_short_box_and_another_key()
    {
        var key = Enumerable.Repeat((byte)1, 32).ToArray();
        var nonce = Enumerable.Repeat((byte)2, 24).ToArray();
        var box = Convert.FromHexString(GoBox);

        for (var i = 0; i < box.Length; i++)
        {
            box[i] ^= 0x20;
            Assert.Null(SecretBox.Open(box, nonce, key));
            box[i] ^= 0x20;
        }

        Assert.Null(SecretBox.Open(box.AsSpan(0, 15), nonce, key));
        Assert.Null(SecretBox.Open(box, nonce, Enumerable.Repeat((byte)9, 32).ToArray()));
        Assert.Empty(SecretBox.Open(SecretBox.Seal([], nonce, key), nonce, key)!);
    }
}
