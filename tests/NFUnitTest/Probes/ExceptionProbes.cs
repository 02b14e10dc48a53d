using System;
using nanoFramework.TestFramework;

namespace SmartKey.NFUnitTest.Probes
{
    public class ProbeException : Exception
    {
    }

    /// <summary>Exceptions: what the runtime throws, their messages, finally, filters, rethrow.</summary>
    [TestClass]
    public class ExceptionProbes
    {
        private static readonly object[] Objects = { "x", 1, 5u, null };

        [TestMethod]
        public void RuntimeThrownTypes()
        {
            string nothing = (string)Objects[3];
            Expect.Same("System.NullReferenceException", Expect.Thrown(delegate { int n = nothing.Length; }), "null dereference");
            Expect.Same("System.InvalidCastException", Expect.Thrown(delegate { int n = (int)Objects[0]; }), "unbox a string as int");
            Expect.Same("System.InvalidCastException", Expect.Thrown(delegate { string s = (string)new object(); }), "object to string");
            Expect.Same("System.InvalidCastException", Expect.Thrown(delegate { long n = (long)Objects[1]; }), "unbox an int as long");
            Expect.Same("System.InvalidCastException", Expect.Thrown(delegate { int n = (int)Objects[2]; }), "unbox a uint as int");
            Expect.Same("System.NullReferenceException", Expect.Thrown(delegate { int n = (int)Objects[3]; }), "unbox null");
            Expect.Same("System.IndexOutOfRangeException", Expect.Thrown(delegate { int[] a = new int[1]; int n = a[Objects.Length]; }), "array index");
        }

        [TestMethod]
        public void RuntimeThrownExceptionsCarryNoRealMessage()
        {
            string nothing = (string)Objects[3];
            Expect.Differs("Exception was thrown: System.NullReferenceException", "Object reference not set to an instance of an object.", Expect.Message(delegate { int n = nothing.Length; }), "a null dereference's message");
            Expect.Differs("Exception was thrown: System.InvalidCastException", "Unable to cast object of type 'System.String' to type 'System.Int32'.", Expect.Message(delegate { int n = (int)Objects[0]; }), "an invalid cast's message");
        }

        [TestMethod]
        public void DefaultMessages()
        {
            Expect.Differs("Exception was thrown: System.InvalidOperationException", "Operation is not valid due to the current state of the object.", Expect.Message(delegate { throw new InvalidOperationException(); }), "new InvalidOperationException()");
            Expect.Differs("Exception was thrown: SmartKey.NFUnitTest.Probes.ProbeException", "Exception of type 'SmartKey.NFUnitTest.Probes.ProbeException' was thrown.", Expect.Message(delegate { throw new ProbeException(); }), "a custom exception");
        }

        [TestMethod]
        public void GivenMessages()
        {
            Expect.Same("boom", Expect.Message(delegate { throw new InvalidOperationException("boom"); }), "a given message");
            Expect.Same("Value cannot be null. (Parameter 'p')", Expect.Message(delegate { throw new ArgumentNullException("p"); }), "ArgumentNullException(p)");
            Expect.Same("too big (Parameter 'p')", Expect.Message(delegate { throw new ArgumentOutOfRangeException("p", "too big"); }), "ArgumentOutOfRangeException(p, m)");
            Expect.Same("bad (Parameter 'p')", Expect.Message(delegate { throw new ArgumentException("bad", "p"); }), "ArgumentException(m, p)");
            Expect.Same("System.InvalidOperationException: boom", FirstLine(delegate { throw new InvalidOperationException("boom"); }), "ToString's first line");
        }

        [TestMethod]
        public void FinallyRunsInOrder()
        {
            string log = "";
            try
            {
                try
                {
                    log += "t";
                    throw new Exception("x");
                }
                finally
                {
                    log += "f";
                }
            }
            catch (Exception)
            {
                log += "c";
            }

            Expect.Same("tfc", log, "try, finally, outer catch");
            Expect.Same("tf", ReturnThroughFinally(), "return through finally");
            Expect.Same("b", Expect.Message(delegate
            {
                try
                {
                    throw new Exception("a");
                }
                finally
                {
                    throw new Exception("b");
                }
            }), "a throw in finally replaces the first");
        }

        [TestMethod]
        public void FiltersRunBeforeInnerFinally()
        {
            string log = "";
            try
            {
                try
                {
                    throw new ArgumentException("a");
                }
                catch (ArgumentException e) when (e.Message == "b")
                {
                    log += "wrong";
                }
            }
            catch (Exception e2)
            {
                log += "outer:" + e2.GetType().Name;
            }

            Expect.Same("outer:ArgumentException", log, "a false filter passes the exception on");
            log = "";
            try
            {
                try
                {
                    throw new Exception("x");
                }
                finally
                {
                    log += "F";
                }
            }
            catch (Exception) when (Note(ref log))
            {
                log += "C";
            }

            Expect.Same("WFC", log, "two-pass: the filter runs before the inner finally");
        }

        [TestMethod]
        public void RethrowKeepsTheException()
        {
            Expect.Same("InvalidOperationException:r", Rethrown(), "throw;");
            Expect.Same("i", Expect.Message(delegate
            {
                try
                {
                    throw new Exception("o", new ArgumentException("i"));
                }
                catch (Exception e)
                {
                    throw e.InnerException;
                }
            }), "InnerException");
            Expect.Same("arg ArgumentNullException", CatchByBaseType(), "catch by base type");
            Expect.Same("500", Depth(500).ToString(), "500 nested calls");
        }

        private static string Rethrown()
        {
            try
            {
                try
                {
                    throw new InvalidOperationException("r");
                }
                catch (Exception)
                {
                    throw;
                }
            }
            catch (Exception e)
            {
                return e.GetType().Name + ":" + e.Message;
            }
        }

        private static string CatchByBaseType()
        {
            try
            {
                throw new ArgumentNullException("p");
            }
            catch (ArgumentException e)
            {
                return "arg " + e.GetType().Name;
            }
        }

        private static string FirstLine(ThrowingAction action)
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                return e.ToString().Split(new char[] { '\n' })[0].Trim();
            }

            return "none";
        }

        private static string ReturnThroughFinally()
        {
            string[] log = { "" };
            Finally(log);
            return log[0];
        }

        private static void Finally(string[] log)
        {
            try
            {
                log[0] += "t";
                return;
            }
            finally
            {
                log[0] += "f";
            }
        }

        private static bool Note(ref string log)
        {
            log += "W";
            return true;
        }

        private static int Depth(int n)
        {
            return n == 0 ? 0 : 1 + Depth(n - 1);
        }
    }
}
