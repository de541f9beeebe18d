module omni.example/omniturn

go 1.19
