using System;
using nanoFramework.TestFramework;

namespace SmartKey.NFUnitTest.Probes
{
    /// <summary>
    /// How a probe states an answer. The probes run on nanoCLR (the device lane) and, compiled with PROBES_ON_DOTNET
    /// against a stand-in TestFramework, on .NET (tests/SmartKey.Tests/Gate/ProbesOnDotNetTests.cs): Same is an answer
    /// both give; Differs names both and asserts the one of the runtime it runs on, so a change of either is noticed.
    /// docs/nanoclr.md lists every Differs and the rule portable code follows.
    /// </summary>
    public static class Expect
    {
#if PROBES_ON_DOTNET
        public static readonly bool OnNanoClr = false;
#else
        public static readonly bool OnNanoClr = true;
#endif

        public static void Same(string expected, string actual, string what)
        {
            Assert.AreEqual(expected, actual, what);
        }

        /// <summary>nanoCLR deviates from .NET (and ECMA-335) here.</summary>
        public static void Differs(string nanoClr, string dotNet, string actual, string what)
        {
            if (OnNanoClr)
            {
                Assert.AreEqual(nanoClr, actual, what + " (nanoCLR; .NET gives " + dotNet + ")");
            }
            else
            {
                Assert.AreEqual(dotNet, actual, what + " (.NET; nanoCLR gives " + nanoClr + ")");
            }
        }

        /// <summary>Lower-case hex of all 64 bits, without the runtime's own formatting (which a probe checks separately).</summary>
        public static string Hex(long value)
        {
            char[] digits = new char[16];
            ulong v = (ulong)value;
            for (int i = 15; i >= 0; i--)
            {
                digits[i] = "0123456789abcdef"[(int)(v & 0xF)];
                v = v / 16;
            }

            return new string(digits);
        }

        /// <summary>The full name of the exception the action throws, or "none".</summary>
        public static string Thrown(ThrowingAction action)
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                return e.GetType().FullName;
            }

            return "none";
        }

        /// <summary>The message of the exception the action throws, or "none".</summary>
        public static string Message(ThrowingAction action)
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                return e.Message;
            }

            return "none";
        }
    }

    public delegate void ThrowingAction();
}
