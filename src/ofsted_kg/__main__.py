from ofsted_kg.cli import main

main()
