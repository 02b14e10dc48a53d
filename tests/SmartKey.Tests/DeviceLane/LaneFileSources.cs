using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace SmartKey.Tests.DeviceLane;

/// <summary>
/// The repository files the on-target tests read, turned into C# for the device (the interpreter has no file system):
/// the Wycheproof vectors packed as tests/NFUnitTest/Lane/VectorCases.cs reads them, nf.config, two imgtool-signed
/// images with the offer a server derives and the trusted key. A .pe keeps at most 64 KB of array data, so the bytes
/// go into data assemblies of PartBytes each, and the generated half of LaneFiles (its Find) joins a file's pieces.
/// </summary>
public static class LaneFileSources
{
    public const int PartBytes = 60_000;

    /// <summary>Each Wycheproof file the host tests run, with the fields packed per case ("group:" a group attribute, "#" a number).</summary>
    public static readonly (string File, string[] Fields)[] Wycheproof =
    {
        ("ecdsa_secp256r1_sha256_p1363_test.json", new[] { "group:publicKey.uncompressed", "msg", "sig" }),
        ("ecdh_secp256r1_ecpoint_test.json", new[] { "public", "private", "shared" }),
        ("ecdh_secp256r1_test.json", new[] { "public", "private", "shared" }),
        ("hmac_sha256_test.json", new[] { "key", "msg", "tag", "group:tagSize#" }),
        ("hkdf_sha256_test.json", new[] { "ikm", "salt", "info", "size#", "okm" }),
        ("aes_ccm_test.json", new[] { "key", "iv", "aad", "msg", "ct", "tag" }),
    };

    /// <summary>Every file by the name LaneFiles.Read takes.</summary>
    public static SortedDictionary<string, byte[]> Files()
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (file, fields) in Wycheproof)
            files["tests/vectors/wycheproof/" + file] = PackWycheproof(RepoPaths.Vector("wycheproof", file), fields);
        files["nf.config"] = File.ReadAllBytes(Path.Combine(RepoPaths.Root, "nf.config"));
        foreach (string image in new[] { "plain.bin", "tampered-payload.bin" })
            files["tests/vectors/mcuboot/" + image] = File.ReadAllBytes(RepoPaths.Vector("mcuboot", image));
        byte[] plain = files["tests/vectors/mcuboot/plain.bin"];
        files["tests/vectors/mcuboot/plain.bin.offer"] = SmartKey.Ota.ImageSigner.OfferFor(plain).Encode();
        using (var key = SmartKey.Ota.KeyFiles.Load(RepoPaths.Vector("mcuboot", "signing-key.pub.pem"), requirePrivate: false))
            files["tests/vectors/mcuboot/signing-key.pub.point"] = SmartKey.Ota.ImageSigner.PublicPoint(key);
        return files;
    }

    public static byte[] PackWycheproof(string path, string[] fields)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var cases = new List<byte[]>();
        foreach (var group in root.GetProperty("testGroups").EnumerateArray())
        {
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                var c = new MemoryStream();
                U16(c, test.GetProperty("tcId").GetInt32());
                string result = test.GetProperty("result").GetString()!;
                c.WriteByte(result switch { "valid" => (byte)0, "invalid" => (byte)1, "acceptable" => (byte)2, _ => throw new InvalidDataException(result) });
                c.WriteByte((byte)fields.Length);
                foreach (string spec in fields)
                {
                    bool isGroup = spec.StartsWith("group:", StringComparison.Ordinal);
                    string name = isGroup ? spec["group:".Length..] : spec;
                    bool number = name.EndsWith('#');
                    name = name.TrimEnd('#');
                    JsonElement value = isGroup ? group : test;
                    foreach (string part in name.Split('.')) value = value.GetProperty(part);
                    byte[] bytes = number ? new[] { (byte)value.GetInt32(), (byte)(value.GetInt32() >> 8) } : Convert.FromHexString(value.GetString()!);
                    U16(c, bytes.Length);
                    c.Write(bytes);
                }

                cases.Add(c.ToArray());
            }
        }

        var all = new MemoryStream();
        U16(all, root.GetProperty("numberOfTests").GetInt32());
        U16(all, cases.Count);
        foreach (byte[] c in cases) all.Write(c);
        return all.ToArray();
    }

    private static void U16(Stream s, int value)
    {
        if (value < 0 || value > 0xFFFF) throw new InvalidDataException("does not fit 16 bits: " + value);
        s.WriteByte((byte)value);
        s.WriteByte((byte)(value >> 8));
    }

    /// <summary>The data assemblies' sources (name, C#) and the generated half of LaneFiles that joins their parts.</summary>
    public static (List<(string Assembly, string Source)> Data, string LaneFilesBody) Generate(SortedDictionary<string, byte[]> files) =>
        Generate(files, "SmartKey.NFUnitTest.Lane", "LaneFiles", "SmartKey.LaneData");

    /// <summary>
    /// As above for any device program: the generated half of the partial class `className` (static partial void
    /// Find(string name, ref byte[] data), and a Join(byte[][]) of its own) in `targetNamespace`; data assemblies named prefix + n.
    /// </summary>
    public static (List<(string Assembly, string Source)> Data, string LaneFilesBody) Generate(SortedDictionary<string, byte[]> files, string targetNamespace, string className, string assemblyPrefix)
    {
        var data = new List<(string, string)>();
        var body = new StringBuilder();
        body.AppendLine("// <auto-generated> by tests/SmartKey.Tests/DeviceLane/LaneFileSources.cs for one lane run </auto-generated>");
        body.Append("namespace ").AppendLine(targetNamespace);
        body.AppendLine("{");
        body.Append("    internal static partial class ").AppendLine(className);
        body.AppendLine("    {");
        body.AppendLine("        static partial void Find(string name, ref byte[] data)");
        body.AppendLine("        {");
        // The files in order, cut where an assembly is full: PartBytes each (a method per piece), the last one less.
        var assemblies = new List<List<byte[]>>();
        int used = PartBytes;
        foreach (var (name, bytes) in files)
        {
            var parts = new List<string>();
            int at = 0;
            do
            {
                if (used == PartBytes)
                {
                    assemblies.Add(new List<byte[]>());
                    used = 0;
                }

                int length = Math.Min(PartBytes - used, bytes.Length - at);

                var pieces = assemblies[^1];
                pieces.Add(bytes.AsSpan(at, length).ToArray());
                used += length;
                parts.Add(assemblyPrefix + (assemblies.Count - 1).ToString(CultureInfo.InvariantCulture) + ".Part.P" + (pieces.Count - 1).ToString(CultureInfo.InvariantCulture) + "()");
                at += length;
            }
            while (at < bytes.Length);

            body.Append("            if (name == \"").Append(name).Append("\") data = ")
                .Append(parts.Count == 1 ? parts[0] : "Join(new byte[][] { " + string.Join(", ", parts) + " })").AppendLine(";");
        }

        for (int i = 0; i < assemblies.Count; i++)
        {
            string assembly = assemblyPrefix + i.ToString(CultureInfo.InvariantCulture);
            data.Add((assembly, DataSource(assembly, assemblies[i])));
        }

        body.AppendLine("        }");
        body.AppendLine("    }");
        body.AppendLine("}");
        return (data, body.ToString());
    }

    private static string DataSource(string assembly, List<byte[]> pieces)
    {
        var s = new StringBuilder(pieces.Sum(p => p.Length) * 4 + 200);
        s.Append("namespace ").Append(assembly).AppendLine(" { public static class Part {");
        for (int n = 0; n < pieces.Count; n++)
        {
            s.Append("public static byte[] P").Append(n.ToString(CultureInfo.InvariantCulture)).AppendLine("() { return new byte[] {");
            byte[] bytes = pieces[n];
            for (int i = 0; i < bytes.Length; i++)
            {
                s.Append(bytes[i].ToString(CultureInfo.InvariantCulture)).Append(',');
                if (i % 40 == 39) s.Append('\n');
            }

            s.AppendLine("}; }");
        }

        s.AppendLine("} }");
        return s.ToString();
    }
}
