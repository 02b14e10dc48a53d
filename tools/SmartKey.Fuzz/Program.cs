using System;
using System.IO;
using System.Linq;
using SmartKey.Fuzz;

// smartkey-fuzz <target>                  run under afl-fuzz (tools/fuzz/run.sh instruments and starts it)
// smartkey-fuzz <target> --replay <path>  run one input file or every file of a folder, outside afl
// smartkey-fuzz seeds <folder>            write the seed corpus of every target (tools/fuzz/seeds)
IFuzzTarget[] targets = { new LinkTarget(), new HandshakeTarget(), new CommandTarget(), new OtaImageTarget(), new ConfigTarget() };
string names = string.Join(", ", targets.Select(t => t.Name));

if (args.Length == 2 && args[0] == "seeds")
{
    foreach (var (target, name, bytes) in Seeds.All()) Write(Path.Combine(args[1], target, name), bytes);
    Console.WriteLine("seeds written to " + args[1]);
    return 0;
}

var chosen = args.Length >= 1 ? targets.FirstOrDefault(t => t.Name == args[0]) : null;
if (chosen == null)
{
    Console.Error.WriteLine($"error: give a target ({names}), or 'seeds <folder>'");
    return 2;
}

if (args.Length == 3 && args[1] == "--replay")
{
    var files = Directory.Exists(args[2]) ? Directory.GetFiles(args[2]).OrderBy(f => f, StringComparer.Ordinal).ToArray() : new[] { args[2] };
    int failed = 0;
    foreach (string file in files)
    {
        try
        {
            chosen.Run(File.ReadAllBytes(file));
        }
        catch (Exception e)
        {
            failed++;
            Console.WriteLine($"{file}: {e.GetType().Name}: {e.Message}");
        }
    }

    Console.WriteLine($"{chosen.Name}: {files.Length} input(s), {failed} failed");
    return failed == 0 ? 0 : 1;
}

SharpFuzz.Fuzzer.Run(stream =>
{
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    chosen.Run(copy.ToArray());
});
return 0;

static void Write(string path, byte[] bytes)
{
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    File.WriteAllBytes(path, bytes);
}
