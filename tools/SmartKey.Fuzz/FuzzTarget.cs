namespace SmartKey.Fuzz;

/// <summary>
/// One parser under the fuzzer: it takes any bytes, never throws for them, and throws
/// <see cref="InvariantBroken"/> when an input gets a result the parser's contract forbids.
/// </summary>
public interface IFuzzTarget
{
    string Name { get; }

    void Run(byte[] input);
}

/// <summary>A parser broke its contract on an input (afl counts it as a crash, like an unexpected exception).</summary>
public sealed class InvariantBroken : System.Exception
{
    public InvariantBroken(string message) : base(message) { }
}
