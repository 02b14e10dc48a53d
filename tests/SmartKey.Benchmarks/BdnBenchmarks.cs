using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SmartKey.Firmware.Crypto;

namespace SmartKey.Benchmarks;

/// <summary>BenchmarkDotNet timing of the expensive operations against .NET's native implementations.</summary>
[MemoryDiagnoser]
public class BdnBenchmarks
{
    private readonly EcdsaP256Verifier _verifier = new();
    private readonly ECDsa _signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private byte[] _publicKey = new byte[65];
    private byte[] _digest = new byte[32];
    private byte[] _signature = new byte[64];

    [GlobalSetup]
    public void Setup()
    {
        var p = _signer.ExportParameters(false);
        _publicKey[0] = 4;
        p.Q.X!.CopyTo(_publicKey, 1);
        p.Q.Y!.CopyTo(_publicKey, 33);
        _digest = SHA256.HashData(new byte[] { 1, 2, 3 });
        _signature = _signer.SignHash(_digest);
    }

    [Benchmark]
    public bool EcdsaVerifyPortable() => _verifier.VerifyDigest(_publicKey, 0, 65, _digest, 0, _signature, 0, 64);

    [Benchmark(Baseline = true)]
    public bool EcdsaVerifyDotNet() => _signer.VerifyHash(_digest, _signature);
}
