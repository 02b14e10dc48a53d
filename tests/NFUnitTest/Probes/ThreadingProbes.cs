using System;
using System.Threading;
using nanoFramework.TestFramework;

namespace SmartKey.NFUnitTest.Probes
{
    /// <summary>Threads, lock/Monitor, Interlocked, Timer, wait handles and Thread.Sleep. Waits are bounded, never timed.</summary>
    [TestClass]
    public class ThreadingProbes
    {
        private const int Bound = 10000;

        [TestMethod]
        public void ThreadsStartAndJoin()
        {
            int[] value = new int[1];
            Thread thread = new Thread(() => { value[0] = 42; });
            thread.Start();
            thread.Join();
            Expect.Same("42 False", value[0] + " " + thread.IsAlive, "Join waits for the thread");
        }

        [TestMethod]
        public void AnUnhandledExceptionEndsOnlyItsThread()
        {
            // On .NET it ends the process, so this runs on nanoCLR only.
            if (!Expect.OnNanoClr) return;
            Thread thread = new Thread(() => { throw new InvalidOperationException("in a thread"); });
            thread.Start();
            thread.Join();
            Expect.Same("False", thread.IsAlive.ToString(), "the thread ended, the program goes on");
        }

        [TestMethod]
        public void LockSerialisesAndIsReentrant()
        {
            object gate = new object();
            int[] count = new int[1];
            Thread[] threads = new Thread[4];
            for (int i = 0; i < threads.Length; i++)
            {
                threads[i] = new Thread(() =>
                {
                    for (int k = 0; k < 1000; k++)
                    {
                        lock (gate)
                        {
                            lock (gate) count[0]++;
                        }
                    }
                });
                threads[i].Start();
            }

            for (int i = 0; i < threads.Length; i++) threads[i].Join();
            Expect.Same("4000", count[0].ToString(), "4 threads x 1000 locked increments");
        }

        [TestMethod]
        public void MonitorExitWithoutEnter()
        {
            Expect.Differs("System.Exception", "System.Threading.SynchronizationLockException", Expect.Thrown(delegate { Monitor.Exit(new object()); }), "Monitor.Exit of an object not held");
        }

        [TestMethod]
        public void Interlocked()
        {
            int x = 1;
            int incremented = System.Threading.Interlocked.Increment(ref x);
            int old = System.Threading.Interlocked.Exchange(ref x, 10);
            int compared = System.Threading.Interlocked.CompareExchange(ref x, 20, 10);
            Expect.Same("2 2 10 20", incremented + " " + old + " " + compared + " " + x, "Increment, Exchange, CompareExchange");
        }

        [TestMethod]
        public void TimersFireWithTheirState()
        {
            AutoResetEvent fired = new AutoResetEvent(false);
            object[] seen = new object[1];
            Timer once = new Timer(state => { seen[0] = state; fired.Set(); }, "state", 1, Timeout.Infinite);
            bool got = fired.WaitOne(Bound, false);
            once.Dispose();
            Expect.Same("True state", got + " " + (string)seen[0], "a one-shot timer");
            int[] ticks = new int[1];
            AutoResetEvent third = new AutoResetEvent(false);
            Timer periodic = new Timer(state => { if (System.Threading.Interlocked.Increment(ref ticks[0]) == 3) third.Set(); }, null, 0, 5);
            got = third.WaitOne(Bound, false);
            periodic.Dispose();
            Expect.Same("True", got.ToString(), "a periodic timer fires again");
        }

        [TestMethod]
        public void WaitHandles()
        {
            ManualResetEvent manual = new ManualResetEvent(false);
            bool before = manual.WaitOne(10, false);
            manual.Set();
            Expect.Same("False True True", before + " " + manual.WaitOne(0, false) + " " + manual.WaitOne(0, false), "ManualResetEvent stays set");
            AutoResetEvent auto = new AutoResetEvent(true);
            Expect.Same("True False", auto.WaitOne(0, false) + " " + auto.WaitOne(0, false), "AutoResetEvent resets");
        }

        [TestMethod]
        public void Sleep()
        {
            long start = DateTime.UtcNow.Ticks;
            Thread.Sleep(50);
            long elapsed = DateTime.UtcNow.Ticks - start;
            Expect.Same("True", (elapsed >= 40 * TimeSpan.TicksPerMillisecond).ToString(), "Sleep(50) lets at least 40 ms of UtcNow pass");
            Expect.Same("none", Expect.Thrown(delegate { Thread.Sleep(0); }), "Sleep(0)");
            Expect.Same("System.ArgumentOutOfRangeException", Expect.Thrown(delegate { Thread.Sleep(-2); }), "Sleep(-2)");
        }

        [TestMethod]
        public void ManagedThreadId()
        {
            Expect.Differs("False", "True", (Thread.CurrentThread.ManagedThreadId > 0).ToString(), "ManagedThreadId > 0 (0 on nanoCLR)");
        }
    }
}
