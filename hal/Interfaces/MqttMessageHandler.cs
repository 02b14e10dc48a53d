namespace SmartKey.Hal
{
    public delegate void MqttMessageHandler(object sender, string topic, byte[] payload);
}
