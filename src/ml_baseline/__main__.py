from ml_baseline.cli import main

main()
