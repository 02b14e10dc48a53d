using System;
using System.Collections;
using nanoFramework.TestFramework;

namespace SmartKey.NFUnitTest.Probes
{
    /// <summary>Hashtable, ArrayList, Queue and Stack: order, nulls, keys, changes during enumeration.</summary>
    [TestClass]
    public class CollectionProbes
    {
        [TestMethod]
        public void HashtableEnumerationOrderIsTheTables()
        {
            Hashtable numbers = new Hashtable();
            for (int i = 0; i < 10; i++) numbers[(i * 7) % 10] = i;
            Expect.Same("9876543210", Keys(numbers), "small int keys");
            Hashtable words = new Hashtable();
            words["zeta"] = 1;
            words["alpha"] = 2;
            words["mid"] = 3;
            // .NET randomizes string hashes per process, so its order changes from run to run; nanoCLR's is fixed.
            if (Expect.OnNanoClr) Expect.Same("mid;alpha;zeta;", Keys(words), "string keys in the table's order");
            string[] sorted = Keys(words).Split(new char[] { ';' });
            Expect.Same("alpha mid zeta", Smallest(sorted, "") + " " + Smallest(sorted, Smallest(sorted, "")) + " " + Smallest(sorted, Smallest(sorted, Smallest(sorted, ""))), "the same keys");
        }

        [TestMethod]
        public void HashtableNullsAndMissingKeys()
        {
            Hashtable table = new Hashtable();
            table["a"] = null;
            Expect.Same("True 1 True True", table.Contains("a") + " " + table.Count + " " + (table["a"] == null) + " " + (table["missing"] == null), "a null value, a missing key");
            Expect.Differs("System.NullReferenceException", "System.ArgumentNullException", Expect.Thrown(delegate { table.Add(null, 1); }), "Add(null, ...)");
            Expect.Same("System.ArgumentNullException", Expect.Thrown(delegate { object x = table[null]; }), "this[null]");
            Expect.Same("System.ArgumentException", Expect.Thrown(delegate { table.Add("a", 2); }), "Add of a present key");
            Expect.Same("none", Expect.Thrown(delegate { table.Remove("missing"); }), "Remove of a missing key");
        }

        [TestMethod]
        public void HashtableKeysAreTypedBoxes()
        {
            Hashtable table = new Hashtable();
            table[1] = "int";
            table[ProbeColor.Green] = "green";
            table[new byte[] { 1 }] = "bytes";
            Expect.Same("int True True True green True True", (string)table[1] + " " + (table[1L] == null) + " " + (table[(byte)1] == null) + " " + (table[1u] == null) + " "
                + (string)table[ProbeColor.Green] + " " + (table[5] == null) + " " + (table[new byte[] { 1 }] == null), "int, long, byte, uint, enum and array keys");
        }

        [TestMethod]
        public void HashtableIgnoresOverriddenEqualsAndGetHashCode()
        {
            Hashtable table = new Hashtable();
            ProbeKey first = new ProbeKey();
            first.A = 3;
            table[first] = "x";
            ProbeKey equal = new ProbeKey();
            equal.A = 3;
            Expect.Same("x", (string)table[first], "the same key object");
            Expect.Differs("null", "x", (string)table[equal] ?? "null", "an equal key object (Equals and GetHashCode overridden)");
            ProbePoint p;
            p.X = 1;
            p.Y = 2;
            table[p] = "point";
            ProbePoint q = p;
            Expect.Differs("null", "point", (string)table[q] ?? "null", "an equal struct key");
        }

        [TestMethod]
        public void HashtableChangedDuringEnumerationThrows()
        {
            Expect.Same("System.InvalidOperationException", Expect.Thrown(delegate { Hashtable t = Three(); foreach (object k in t.Keys) t.Remove(k); }), "Remove");
            Expect.Same("System.InvalidOperationException", Expect.Thrown(delegate { Hashtable t = Three(); foreach (object k in t.Keys) t[k] = 5; }), "set an existing key");
            Expect.Same("System.InvalidOperationException", Expect.Thrown(delegate { Hashtable t = Three(); foreach (object k in t.Keys) t[100] = 5; }), "Add");
        }

        [TestMethod]
        public void HashtableKeysIsALiveViewAndCloneACopy()
        {
            Hashtable table = new Hashtable();
            table[1] = 1;
            ICollection keys = table.Keys;
            Hashtable copy = (Hashtable)table.Clone();
            table[2] = 2;
            copy[3] = 3;
            Expect.Same("2 2", keys.Count + " " + table.Count, "Keys sees a later Add; Clone does not share");
            Hashtable many = new Hashtable();
            for (int i = 0; i < 1000; i++) many[i] = i;
            int sum = 0;
            foreach (DictionaryEntry entry in many) sum += (int)entry.Value;
            Expect.Same("1000 499500 999", many.Count + " " + sum + " " + many[999], "1000 entries");
        }

        [TestMethod]
        public void ArrayList()
        {
            ArrayList list = new ArrayList();
            list.Add(1);
            list.Add(null);
            list.Add("x");
            list.Insert(0, 2);
            list.Remove(1);
            Expect.Same("3 True 2 False False 0", list.Count + " " + list.Contains(null) + " " + list.IndexOf("x") + " " + list.Contains(1) + " " + list.Contains(2L) + " " + list.IndexOf(2), "Add, Insert, Remove, Contains, IndexOf");
            list.RemoveAt(0);
            ArrayList numbers = new ArrayList();
            numbers.Add(4);
            numbers.Add(5);
            int[] typed = (int[])numbers.ToArray(typeof(int));
            Expect.Same("2 5", list.Count + " " + typed[1], "RemoveAt, ToArray(Type)");
            Expect.Same("System.ArgumentOutOfRangeException", Expect.Thrown(delegate { object x = new ArrayList()[0]; }), "index 0 of an empty list");
        }

        [TestMethod]
        public void ArrayListChangedDuringEnumerationDoesNotThrow()
        {
            ArrayList list = new ArrayList();
            list.Add(1);
            list.Add(2);
            list.Add(3);
            Expect.Differs("none", "System.InvalidOperationException", Expect.Thrown(delegate { foreach (object o in list) list.Remove(o); }), "Remove while enumerating");
            if (Expect.OnNanoClr) Expect.Same("1", list.Count.ToString(), "what is left: every other element was skipped");
        }

        [TestMethod]
        public void QueueAndStack()
        {
            Queue queue = new Queue();
            queue.Enqueue(1);
            queue.Enqueue(2);
            Stack stack = new Stack();
            stack.Push(1);
            stack.Push(2);
            Expect.Same("1 1 2 2 1", queue.Dequeue() + " " + queue.Count + " " + queue.Peek() + " " + stack.Pop() + " " + stack.Count, "FIFO, LIFO");
            Expect.Same("System.InvalidOperationException", Expect.Thrown(delegate { new Queue().Dequeue(); }), "Dequeue of an empty queue");
        }

        /// <summary>The least word greater than after, or "" when none (lower-case ASCII words: ordinal and culture order agree).</summary>
        private static string Smallest(string[] words, string after)
        {
            string best = "";
            for (int i = 0; i < words.Length; i++)
            {
                if (string.Compare(words[i], after) > 0 && (best.Length == 0 || string.Compare(words[i], best) < 0)) best = words[i];
            }

            return best;
        }

        private static Hashtable Three()
        {
            Hashtable table = new Hashtable();
            table[1] = 1;
            table[2] = 2;
            table[3] = 3;
            return table;
        }

        private static string Keys(Hashtable table)
        {
            string text = "";
            foreach (DictionaryEntry entry in table) text += entry.Key + (entry.Key is string ? ";" : "");
            return text;
        }
    }
}
