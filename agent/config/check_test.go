package config

// Check, for the tests, parses one file as a user file.
func Check(path string, data []byte) error {
	_, err := Parse(path, data, LayerUser)
	return err
}
